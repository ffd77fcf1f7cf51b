package dev.tollgate.catalog.purchases;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/** One purchase and where it got to ({@link OrderState}). */
@MongoEntity(collection = "orders")
public class Order {
    @BsonId
    public String id;
    public String userId;
    public String budgetId;
    public String productId;
    public String productName;
    public String action;
    public String parametersJson;
    public long priceCredits;
    public String instanceId;
    /** Who chose the order's key: a caller's Idempotency-Key or a workflow step (PurchaseService.KeyUse); null before. */
    public String keyUse;
    public OrderState state;
    public String resultJson;
    public String errorCode;
    public String errorMessage;
    public Instant createdAt;
    public Instant updatedAt;
}
