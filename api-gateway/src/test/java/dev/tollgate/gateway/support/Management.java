package dev.tollgate.gateway.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

/** The gateway's management interface in tests, where {@code /q/health} and {@code /q/metrics} are. */
public final class Management {

    private Management() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** The Prometheus scrape, as an operator's collector reads it. */
    public static String metrics() {
        return given().port(port()).get("/q/metrics").asString();
    }
}
