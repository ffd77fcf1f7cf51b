package dev.tollgate.workflow.runs;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Until the request keys' unique index exists, a trigger with a request_id is refused (503 starting): not ready. */
@Readiness
@ApplicationScoped
public class RequestKeysReadiness implements HealthCheck {

    static final String NAME = "Run request keys indexed";

    private final RunIndexes indexes;

    public RequestKeysReadiness(RunIndexes indexes) {
        this.indexes = indexes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).status(indexes.requestKeysIndexed()).build();
    }
}
