package dev.tollgate.workflow.support;

import java.util.Base64;
import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The real catalog-service, packaged, as a neighbour process of the workflow-service under test. */
public class CatalogServiceResource implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess catalog;

    public static synchronized ServiceProcess catalog() {
        if (catalog == null) {
            catalog = new ServiceProcess("catalog-service", ServiceProcess.siblingJar("catalog-service"),
                    LocalStackTestResource.stack(), Map.of("QUARKUS_LOG_LEVEL", "WARN",
                            "TOLLGATE_CATALOG_CREDENTIALS_KEY", Base64.getEncoder().encodeToString(new byte[32])))
                    .start();
            ServiceProcess started = catalog;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return catalog;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.catalog.url", catalog().baseUrl(),
                "quarkus.rest-client.catalog-purchases.url", catalog().baseUrl());
    }

    @Override
    public void stop() {
        // shared by the JVM's test classes; stopped at exit
    }
}
