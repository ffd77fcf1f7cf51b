package dev.tollgate.catalog.purchases;

import java.time.Instant;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * One purchase and where it got to. PENDING (recorded; credit may be held, the tool may be running) → HELD (credit
 * held and the tool's answer recorded in {@code resultJson}, in one write) → SUCCEEDED (captured: charged) or FAILED
 * (released: not charged). Orders written by earlier versions may be HELD without an answer; they are recovered
 * like PENDING ones (released).
 */
@MongoEntity(collection = "orders")
public class Order {
    public static final String PENDING = "PENDING";
    public static final String HELD = "HELD";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

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
    public String state;
    public String resultJson;
    public String errorCode;
    public String errorMessage;
    public Instant createdAt;
    public Instant updatedAt;
}
