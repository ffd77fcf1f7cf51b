package dev.tollgate.catalog.budgets;

import java.util.Optional;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

@ApplicationScoped
public class BudgetRepository implements PanacheMongoRepository<Budget> {

    public Optional<Budget> findByHexId(String id) {
        return id != null && ObjectId.isValid(id) ? findByIdOptional(new ObjectId(id)) : Optional.empty();
    }
}
