package dev.tollgate.localstack.testing;

import java.util.function.Supplier;

import org.bson.Document;

import com.mongodb.client.MongoDatabase;

/**
 * What an operation read, as MongoDB's {@code explain} reports it ({@code totalDocsExamined}): the embedded store
 * counts every document it fetches to test a query against, per database and collection, and answers the
 * {@code tollgateStats} command with the counts. Tests use it to show that an operation reads only what it needs,
 * however much history the collection holds.
 *
 * <p>The counts are cumulative, so a measurement is the difference around an operation. Background work of the
 * same database (relays, sweeps) may add its own reads in that window; give assertions a small bound rather than an
 * exact figure, and measure one collection where that helps.
 */
public final class DocsExamined {

    /** The command the embedded store answers: {@code {tollgateStats: 1}} on the database to inspect. */
    public static final String COMMAND = "tollgateStats";

    private DocsExamined() {
    }

    /** Documents examined so far in this database, all collections. */
    public static long total(MongoDatabase db) {
        return stats(db).get("totalDocsExamined", Number.class).longValue();
    }

    /** Documents examined so far in one collection of this database. */
    public static long inCollection(MongoDatabase db, String collection) {
        Document byCollection = stats(db).get("docsExamined", Document.class);
        Number n = byCollection == null ? null : byCollection.get(collection, Number.class);
        return n == null ? 0 : n.longValue();
    }

    /** Documents examined in this database while {@code operation} ran. */
    public static long during(MongoDatabase db, Runnable operation) {
        long before = total(db);
        operation.run();
        return total(db) - before;
    }

    /** Documents examined in one collection while {@code operation} ran. */
    public static long during(MongoDatabase db, String collection, Runnable operation) {
        long before = inCollection(db, collection);
        operation.run();
        return inCollection(db, collection) - before;
    }

    /** Like {@link #during(MongoDatabase, Runnable)}, for an operation with a result the test also checks. */
    public static <T> Measured<T> measure(MongoDatabase db, Supplier<T> operation) {
        long before = total(db);
        T result = operation.get();
        return new Measured<>(result, total(db) - before);
    }

    public record Measured<T>(T result, long docsExamined) {
    }

    private static Document stats(MongoDatabase db) {
        return db.runCommand(new Document(COMMAND, 1));
    }
}
