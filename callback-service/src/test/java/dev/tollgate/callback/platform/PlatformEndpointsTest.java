package dev.tollgate.callback.platform;

import java.util.List;

import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.PlatformEndpointsContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected List<String> readinessChecks() {
        return List.of(MONGO_CHECK, KAFKA_CHECK);
    }

    @Override
    protected boolean webhooksFamily() {
        return true;
    }
}
