package dev.tollgate.localstack.store;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.bson.Document;

/**
 * How many documents each collection has read to answer queries ({@code totalDocsExamined} in MongoDB's explain),
 * and how many queries found no index and scanned the whole collection. Answered by the {@code tollgateStats}
 * command, so tests can show an operation reads only what it needs however much history the store holds.
 */
final class ExaminedDocuments {

    static final String COMMAND = "tollgateStats";

    /** Counters of one collection. */
    record Counters(LongAdder examined, LongAdder collectionScans) {
    }

    private final Map<String, Map<String, Counters>> byDatabase = new ConcurrentHashMap<>();

    Counters of(String database, String collection) {
        return byDatabase.computeIfAbsent(database, d -> new ConcurrentHashMap<>())
                .computeIfAbsent(collection, c -> new Counters(new LongAdder(), new LongAdder()));
    }

    Document stats(String database) {
        Document examined = new Document();
        Document scans = new Document();
        long total = 0;
        Map<String, Counters> collections = new TreeMap<>(byDatabase.getOrDefault(database, Map.of()));
        for (Map.Entry<String, Counters> entry : collections.entrySet()) {
            long n = entry.getValue().examined().sum();
            total += n;
            examined.put(entry.getKey(), n);
            scans.put(entry.getKey(), entry.getValue().collectionScans().sum());
        }
        Document response = new Document("totalDocsExamined", total);
        response.put("docsExamined", examined);
        response.put("collectionScans", scans);
        response.put("ok", 1.0);
        return response;
    }
}
