package dev.tollgate.gateway.support;

import org.eclipse.microprofile.config.ConfigProvider;

/** The gateway's management interface in tests, where {@code /q/health} and {@code /q/metrics} are. */
public final class Management {

    private Management() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
