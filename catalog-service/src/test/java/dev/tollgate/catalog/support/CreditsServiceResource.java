package dev.tollgate.catalog.support;

import java.util.Map;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The real credits-service, packaged, as a neighbour process of the catalog under test (one per test JVM). */
public class CreditsServiceResource implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess credits;

    public static synchronized ServiceProcess credits() {
        if (credits == null) {
            credits = new ServiceProcess("credits-service", ServiceProcess.siblingJar("credits-service"),
                    LocalStackTestResource.stack(), Map.of("QUARKUS_LOG_LEVEL", "WARN")).start();
            ServiceProcess started = credits;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return credits;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.credits.url", credits().baseUrl());
    }

    @Override
    public void stop() {
        // shared by the JVM's test classes; stopped at exit
    }
}
