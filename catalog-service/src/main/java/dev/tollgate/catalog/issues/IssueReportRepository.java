package dev.tollgate.catalog.issues;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class IssueReportRepository implements PanacheMongoRepository<IssueReport> {
}
