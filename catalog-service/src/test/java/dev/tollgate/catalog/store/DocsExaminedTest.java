package dev.tollgate.catalog.store;

import static dev.tollgate.catalog.support.Catalog.ADMIN;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import dev.tollgate.catalog.config.CatalogConfig;
import dev.tollgate.catalog.purchases.OrderRepository;
import dev.tollgate.catalog.purchases.OrderState;
import dev.tollgate.catalog.support.Catalog;
import dev.tollgate.catalog.support.CreditsServiceResource;
import dev.tollgate.localstack.testing.DocsExamined;
import dev.tollgate.localstack.testing.LocalStackTestResource;
import dev.tollgate.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each hot path and the recovery sweep read only what they need, however much history the catalog holds: before
 * the first test, 47,000 unrelated documents (settled orders of other users, other budgets' pairs, keys and
 * approval requests, other users' instances and memory, issue reports) go straight into the collections, then each
 * real operation runs through the service and the store's documents-examined counter ({@link DocsExamined}) must
 * stay at a handful.
 * Without the indexes the service declares, each of these operations reads at least one whole collection of history.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(CreditsServiceResource.class)
class DocsExaminedTest {

    /** Documents of history per large collection: far above any bound asserted below. */
    static final int HISTORY = 10_000;
    static final String SERVICE = TestTokens.service("workflow-service");

    private static boolean historyWritten;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Inject
    OrderRepository purchases;

    @Inject
    CatalogConfig config;

    @BeforeEach
    void writeHistoryOnce() {
        if (!historyWritten) {
            writeHistory();
            historyWritten = true;
        }
    }

    @Test
    void aPurchaseReadsItsProductBudgetPairAndOrderOnly() {
        String product = Catalog.builtinProduct("text_stats", 5);
        Catalog.Customer c = Catalog.customer(product);
        Catalog.grantCredits(c.userId(), 50);

        var bought = DocsExamined.measure(db(), () -> Catalog.purchase(c, product,
                Map.of("action", "analyze", "text", "One fish. Two fish!")).then().statusCode(200)
                .body("data.words", equalTo(4)).extract().<String>path("order_id"));

        assertEquals(OrderState.SUCCEEDED, purchases.findById(bought.result()).state);
        assertTrue(bought.docsExamined() <= 15, "a purchase examined " + bought.docsExamined() + " documents");
    }

    @Test
    void fetchingTheFirstAndTheLastPageReadsOnlyThisBudgetsPairs() {
        int tools = 12;
        List<String> enabled = new ArrayList<>();
        for (int i = 0; i < tools; i++) {
            enabled.add(Catalog.builtinProduct("text_stats", 1));
        }
        Catalog.Customer c = Catalog.customer(enabled.toArray(String[]::new));
        // The count, the pairs up to the page's end, the page's products, the budget and the instance: a bound in
        // this budget's own size, where reading other budgets' pairs would add thousands.
        long bound = 3L * tools + 10;

        var first = DocsExamined.measure(db(), () -> fetch(c, 1));
        first.result().then().body("tools", hasSize(5)).body("details.total_qualified_tools", equalTo(tools));
        assertTrue(first.docsExamined() <= bound, "the first page examined " + first.docsExamined() + " documents");

        var last = DocsExamined.measure(db(), () -> fetch(c, 3));
        last.result().then().body("tools", hasSize(2)).body("details.has_next_page", equalTo(false));
        assertTrue(last.docsExamined() <= bound, "the last page examined " + last.docsExamined() + " documents");
    }

    @Test
    void theRecoverySweepReadsOnlyUnsettledOrders() {
        long query = DocsExamined.during(db(), "orders",
                () -> purchases.unsettledBefore(Instant.now().minus(config.purchases().recoverAfter()), 200));
        assertTrue(query <= 5, "the sweep's query examined " + query + " orders");

        // One order a crash left behind, settled by the scheduled sweep itself (every second in tests), while the
        // settled history lies behind the same cutoff.
        String stuck = "ord_stuck_" + Catalog.unique();
        Date longAgo = Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
        db().getCollection("orders").insertOne(new Document("_id", stuck).append("userId", "user-" + Catalog.unique())
                .append("budgetId", new ObjectId().toHexString()).append("productId", new ObjectId().toHexString())
                .append("action", "analyze").append("priceCredits", 0L).append("state", OrderState.PENDING.name())
                .append("createdAt", longAgo).append("updatedAt", longAgo));
        AtomicInteger polls = new AtomicInteger();
        long window = DocsExamined.during(db(), "orders", () -> await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    polls.incrementAndGet();
                    return OrderState.FAILED.equals(purchases.findById(stuck).state);
                }));

        assertEquals("interrupted", purchases.findById(stuck).errorCode);
        // Each poll reads the one order; each sweep reads the stuck order and updates it once, then nothing.
        assertTrue(window <= polls.get() + 10,
                "sweeping examined " + window + " orders over " + polls.get() + " polls");
    }

    @Test
    void workflowAuthorizationReadsTheBudgetAndOneOpenRequest() {
        Catalog.Customer c = Catalog.customer();
        given().auth().oauth2(ADMIN).put("/admin/budgets/" + c.budgetId() + "/workflows/wf-allowed")
                .then().statusCode(200);

        long allowed = DocsExamined.during(db(), () -> authorize(c.budgetId(), "wf-allowed")
                .body("data.allowed", equalTo(true)));
        assertTrue(allowed <= 3, "an allowed run examined " + allowed + " documents");

        long opened = DocsExamined.during(db(), () -> authorize(c.budgetId(), "wf-history")
                .body("data.blockers", equalTo(List.of("workflow_not_on_budget"))));
        long askedAgain = DocsExamined.during(db(), () -> authorize(c.budgetId(), "wf-history")
                .body("data.allowed", equalTo(false)));
        assertTrue(opened <= 5, "opening an approval request examined " + opened + " documents");
        assertTrue(askedAgain <= 5, "finding the open approval request examined " + askedAgain + " documents");
    }

    @Test
    void exchangingAnApiKeyReadsOneKey() {
        Catalog.Customer c = Catalog.customer();
        String key = given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("label", "ci"))
                .post("/admin/budgets/" + c.budgetId() + "/api-keys").then().statusCode(201)
                .extract().path("data.api_key");

        long valid = DocsExamined.during(db(), () -> verify(key).statusCode(200)
                .body("data.budget_id", equalTo(c.budgetId())));
        long unknown = DocsExamined.during(db(), () -> verify(key + "x").statusCode(401));

        assertTrue(valid <= 2, "exchanging a key examined " + valid + " documents");
        assertTrue(unknown <= 2, "refusing an unknown key examined " + unknown + " documents");
    }

    @Test
    void reportingAndTriagingAnIssueReadsOnlyThatProductsReports() {
        String slug = given().auth().oauth2(ADMIN).get("/admin/products/" + Catalog.builtinProduct("wait", 1))
                .then().statusCode(200).extract().path("data.product.slug");

        long reported = DocsExamined.during(db(), () -> given().auth().oauth2(TestTokens.user("agent"))
                .contentType("application/json").body(Map.of("product_id", slug, "error_message", "slow"))
                .post("/issues/report").then().statusCode(200).body("data.lookup_method", equalTo("slug")));
        long triaged = DocsExamined.during(db(), () -> given().auth().oauth2(ADMIN)
                .get("/admin/issues?status=open&product_id=" + slug).then().statusCode(200)
                .body("data.issues", hasSize(1)));

        assertTrue(reported <= 3, "reporting examined " + reported + " documents");
        assertTrue(triaged <= 3, "triaging one product's open issues examined " + triaged + " documents");
    }

    private io.restassured.response.Response fetch(Catalog.Customer c, int page) {
        return given().auth().oauth2(c.token()).get("/products/fetch?page=" + page + "&page_size=5")
                .then().statusCode(200).extract().response();
    }

    private static io.restassured.response.ValidatableResponse authorize(String budgetId, String workflowId) {
        return given().auth().oauth2(SERVICE).contentType("application/json")
                .body(Map.of("budget_id", budgetId, "workflow_id", workflowId))
                .post("/internal/workflow-authorizations").then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse verify(String key) {
        return given().auth().oauth2(TestTokens.service("api-gateway")).contentType("application/json")
                .body(Map.of("api_key", key)).post("/internal/api-keys/verify").then();
    }

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    /**
     * History that no operation above may read: other users' settled orders (older than the sweep's cutoff),
     * other budgets' budgets, pairs, keys and approval requests (open and approved, for the same workflow id the
     * test asks about), other users' instances and memory, retired products, issue reports about other products.
     * Old timestamps keep it out of the way of other test classes that list the newest documents.
     */
    private void writeHistory() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Date old = Date.from(Instant.now().minus(30, ChronoUnit.DAYS));
        List<String> budgetIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            budgetIds.add(new ObjectId().toHexString());
        }
        insert("budgets", 1_000, i -> new Document("_id", i < budgetIds.size() ? new ObjectId(budgetIds.get(i))
                : new ObjectId()).append("ownerUserId", "history-" + run + "-" + i)
                .append("name", "history").append("workflowIds", List.of("wf-history")).append("createdAt", old));
        insert("orders", HISTORY, i -> new Document("_id", "ord_history_" + run + "_" + i)
                .append("userId", "history-" + run + "-" + (i % 500)).append("budgetId", budgetIds.get(i % 100))
                .append("productId", new ObjectId().toHexString()).append("action", "analyze")
                .append("priceCredits", 5L).append("state", (i % 4 == 0 ? OrderState.FAILED : OrderState.SUCCEEDED).name())
                .append("resultJson", "{}").append("createdAt", old).append("updatedAt", old));
        insert("budget_products", HISTORY, i -> {
            String budgetId = budgetIds.get(i % 100);
            String productId = new ObjectId().toHexString();
            return new Document("_id", budgetId + ":" + productId).append("budgetId", budgetId)
                    .append("productId", productId).append("name", "history_" + run + "_" + i)
                    .append("active", i % 10 != 0);
        });
        insert("api_keys", 3_000, i -> new Document("_id", new ObjectId()).append("hash", randomHex())
                .append("prefix", "tg_history").append("userId", "history-" + run + "-" + i)
                .append("budgetId", budgetIds.get(i % 100)).append("roles", List.of("user")).append("createdAt", old)
                .append("revokedAt", i % 3 == 0 ? old : null));
        insert("approval_requests", 5_000, i -> {
            // The first hundred are open for the same workflow the test asks about, on other budgets.
            boolean open = i < budgetIds.size();
            Document r = new Document("_id", new ObjectId()).append("budgetId", budgetIds.get(i % 100))
                    .append("kind", "add_workflow").append("workflowId", open ? "wf-history" : "wf-history-" + i)
                    .append("createdAt", old);
            return open ? r.append("status", "open").append("openKey", budgetIds.get(i) + "|add_workflow|wf-history")
                    : r.append("status", "approved").append("resolvedAt", old);
        });
        insert("issue_reports", HISTORY, i -> new Document("_id", new ObjectId())
                .append("reporterUserId", "history-" + run + "-" + (i % 500)).append("budgetId", budgetIds.get(i % 100))
                .append("productReference", "history-" + run + "-" + (i % 50)).append("lookupMethod", "not_found")
                .append("errorMessage", "history").append("status", i % 5 == 0 ? "open" : "closed")
                .append("createdAt", old));
        // A purchase or fetch that echoes or describes its connection instance upserts it; kv_memory keeps entries
        // per instance.
        insert("instances", 5_000, i -> new Document("_id", "history-" + run + "-" + (i % 500) + "/inst_" + i)
                .append("userId", "history-" + run + "-" + (i % 500)).append("createdAt", old));
        insert("memory", 2_000, i -> {
            String scope = "history-" + run + "-" + (i % 500) + "\u0000inst_" + (i % 20);
            return new Document("_id", scope + "\u0000key" + i).append("scope", scope).append("key", "key" + i)
                    .append("value", "1").append("updatedAt", old);
        });
        Document template = db().getCollection("products")
                .find(Filters.eq("_id", new ObjectId(Catalog.builtinProduct("text_stats", 1)))).first();
        insert("products", 1_000, i -> new Document(template).append("_id", new ObjectId())
                .append("slug", "history-" + run + "-" + i).append("name", "history_" + run + "_" + i)
                .append("status", "retired"));
    }

    private void insert(String collection, int count, IntFunction<Document> document) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(document.apply(i));
            if (batch.size() == 1_000 || i == count - 1) {
                db().getCollection(collection).insertMany(batch, new InsertManyOptions().ordered(false));
                batch.clear();
            }
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
