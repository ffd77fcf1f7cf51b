package dev.tollgate.workflow.roles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * One build, two roles. The {@code api} role serves the webhooks API and relays the outbox; the {@code worker} role
 * consumes run requests and executes runs. They scale independently (separate Deployments).
 */
@ConfigMapping(prefix = "tollgate.workflow")
public interface ServiceRole {

    /** Which role this process plays. */
    @WithDefault("api")
    Role role();

    enum Role {
        API, WORKER
    }

    default boolean isWorker() {
        return role() == Role.WORKER;
    }
}
