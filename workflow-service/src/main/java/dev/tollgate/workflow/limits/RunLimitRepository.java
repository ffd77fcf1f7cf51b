package dev.tollgate.workflow.limits;

import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class RunLimitRepository implements PanacheMongoRepositoryBase<RunLimit, String> {
}
