package dev.tollgate.workflow.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFilter;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.tollgate.contracts.CommittedPacts;
import dev.tollgate.contracts.InteractionKinds;
import dev.tollgate.contracts.ProviderVerification;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import dev.tollgate.workflow.workflows.Workflow;
import dev.tollgate.workflow.workflows.WorkflowRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;

/**
 * workflow-service keeps the look-up contract the gateway's embed pages rely on (contracts/pacts), replayed against
 * this service; the workflow the provider state names is stored through the service's own repository.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@Provider(WorkflowContracts.WORKFLOW)
@PactFolder(CommittedPacts.COMMITTED)
@PactFilter(value = "http", filter = InteractionKinds.Http.class)
class WorkflowLookupProviderPactTest extends ProviderVerification {

    @Inject
    WorkflowRepository workflows;

    @Override
    protected String serviceToken(String consumer) {
        return TestTokens.service(consumer);
    }

    @State("a workflow with a name and a description")
    Map<String, Object> workflow() {
        Workflow w = new Workflow();
        w.id = new ObjectId();
        w.name = "Support bot";
        w.description = "Answers questions about your orders";
        w.steps = List.of();
        w.requiredCredentials = List.of();
        w.maxRunSeconds = 60;
        w.createdAt = Instant.now();
        w.updatedAt = w.createdAt;
        workflows.persist(w);
        return Map.of("workflowId", w.id.toHexString());
    }

    @State("no workflow has the id 0123456789abcdef01234567")
    void nothingToSetUp() {
        // Stored workflows get fresh random ids, so this one never exists.
    }
}
