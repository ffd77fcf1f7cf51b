package dev.tollgate.workflow.workflows;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class WorkflowRepository implements PanacheMongoRepository<Workflow> {
}
