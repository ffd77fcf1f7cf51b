package dev.tollgate.workflow.support;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import dev.tollgate.workflow.outbox.OutboxRelay;
import dev.tollgate.workflow.runs.RunRepository;
import dev.tollgate.workflow.worker.RunClaims;

/**
 * Where every documents-examined test of this service starts: the store holds {@link RunHistory}'s 10,000 ended
 * runs of other users, and a caller has a one-step workflow of its own.
 */
public abstract class AgainstRunHistory {

    @Inject
    protected MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    protected String database;

    @Inject
    protected RunRepository runs;

    @Inject
    protected RunClaims claims;

    @Inject
    protected OutboxRelay relay;

    protected MongoDatabase db;
    protected String workflowId;
    protected Fixtures.User user;

    @BeforeEach
    void historyAndACaller() {
        db = mongo.getDatabase(database);
        RunHistory.ensureSeeded(db);
        workflowId = Fixtures.templateWorkflow(List.of());
        user = Fixtures.user(workflowId);
    }
}
