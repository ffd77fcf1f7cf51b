package dev.tollgate.catalog.bundles;

import io.quarkus.mongodb.panache.PanacheMongoRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Bundles ({@code bundles}), read by id. */
@ApplicationScoped
public class BundleRepository implements PanacheMongoRepository<Bundle> {
}
