package dev.tollgate.catalog.products;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.types.ObjectId;

/** A tool agents can buy calls of. */
@MongoEntity(collection = "products")
public class Product {
    @BsonId
    public ObjectId id;
    /** Stable, URL-safe identifier chosen by the admin, e.g. {@code text-stats}. */
    public String slug;
    /** The function name an LLM invokes. */
    public String name;
    public String displayName;
    public String description;
    public long priceCredits;
    public Instant createdAt;
}
