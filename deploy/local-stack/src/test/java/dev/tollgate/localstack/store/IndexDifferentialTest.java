package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The indexed answer equals the full-scan answer: random documents, random inserts, updates and deletes, then random
 * queries of the shapes the planner serves (equality prefix, range, {@code $in}, sort with limit, arrays, missing
 * fields, mixed types), on a collection with indexes and on a twin without; in the same order where a sort is
 * given. The same again after the store restarts on its H2 file.
 */
class IndexDifferentialTest {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static StoreServer memory;

    @BeforeContainer
    static void start() {
        memory = new StoreServer(DurableStore.inMemory());
    }

    @AfterContainer
    static void stop() {
        memory.close();
    }

    // --- what is generated

    /** One change applied to both twins. */
    record Change(int kind, Document document, Bson filter, Bson update) {
    }

    /** A query and its optional sort and limit. */
    record Query(Bson filter, Bson sort, int limit, String sortKey) {
    }

    @Provide
    Arbitrary<List<Document>> documents() {
        return document().list().ofMinSize(0).ofMaxSize(60);
    }

    private static Arbitrary<Object> aValue() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 4).map(i -> (Object) i),
                Arbitraries.of("x", "y").map(s -> (Object) s), Arbitraries.just(null),
                Arbitraries.integers().between(0, 4).map(i -> (Object) (i + 0.0)));
    }

    private static Arbitrary<Object> bValue() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 9).map(i -> (Object) i),
                Arbitraries.integers().between(0, 9).map(i -> (Object) new Date(1_000_000L + i)),
                Arbitraries.of("k", "m").map(s -> (Object) s));
    }

    private static Arbitrary<Object> cValue() {
        return Arbitraries.oneOf(Arbitraries.of("p", "q", "r").map(s -> (Object) s),
                Arbitraries.of("p", "q", "r").list().ofMaxSize(3).map(l -> (Object) l));
    }

    /** Sub-documents in an array, some without the indexed field: a sparse index on a path through an array. */
    private static Arbitrary<Object> eValue() {
        Arbitrary<Object> element = Arbitraries.oneOf(Arbitraries.of("p", "q").map(id -> (Object) new Document("id", id)),
                Arbitraries.just(new Document("other", 1)));
        return element.list().ofMaxSize(3).map(list -> (Object) list);
    }

    private static Arbitrary<Document> document() {
        return Combinators.combine(aValue(), bValue(), cValue(), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 31), eValue())
                .as((a, b, c, d, presence, e) -> {
                    Document document = new Document();
                    if ((presence & 1) != 0) {
                        document.append("a", a);
                    }
                    if ((presence & 2) != 0) {
                        document.append("b", b);
                    }
                    if ((presence & 4) != 0) {
                        document.append("c", c);
                    }
                    if ((presence & 8) != 0) {
                        document.append("d", d);
                    }
                    if ((presence & 16) != 0) {
                        document.append("e", e);
                    }
                    return document;
                });
    }

    private static Arbitrary<Bson> filter() {
        Arbitrary<Bson> eqA = aValue().map(a -> Filters.eq("a", a));
        Arbitrary<Bson> rangeB = Combinators.combine(bValue(), Arbitraries.of("gt", "gte", "lt", "lte"))
                .as(IndexDifferentialTest::range);
        Arbitrary<Bson> twoSided = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 9)).as((lo, hi) -> Filters.and(Filters.gte("b", lo), Filters.lt("b", hi)));
        Arbitrary<Bson> inA = aValue().list().ofMinSize(1).ofMaxSize(3).map(values -> Filters.in("a", values));
        Arbitrary<Bson> eqAandB = Combinators.combine(eqA, Arbitraries.oneOf(rangeB, twoSided)).as(Filters::and);
        Arbitrary<Bson> inAandB = Combinators.combine(inA, rangeB).as(Filters::and);
        Arbitrary<Bson> eqC = Arbitraries.of("p", "q", "r", "s").map(c -> Filters.eq("c", c));
        Arbitrary<Bson> withResidual = Combinators.combine(eqA, Arbitraries.integers().between(0, 3))
                .as((f, d) -> Filters.and(f, Filters.ne("d", d)));
        Arbitrary<Bson> byD = Arbitraries.integers().between(0, 3).map(d -> Filters.eq("d", d));
        Arbitrary<Bson> eqAandD = Combinators.combine(eqA, byD).as(Filters::and);
        Arbitrary<Bson> orOfA = Combinators.combine(eqA, eqC).as((x, y) -> Filters.or(x, y));
        Arbitrary<Bson> eqEid = Arbitraries.of("p", "q", "r").map(id -> Filters.eq("e.id", id));
        // the _id index plus further conditions, as every conditional update is
        Arbitrary<Object> anId = Arbitraries.integers().between(1_000_000, 1_000_070).map(i -> (Object) i);
        Arbitrary<Bson> byId = Combinators.combine(anId, Arbitraries.oneOf(eqA, byD, Arbitraries.just(Filters.empty())))
                .as((id, more) -> Filters.and(Filters.eq("_id", id), more));
        Arbitrary<Bson> inIds = anId.list().ofMinSize(1).ofMaxSize(4).map(ids -> Filters.in("_id", ids));
        return Arbitraries.oneOf(eqA, rangeB, twoSided, inA, eqAandB, inAandB, eqC, withResidual, eqAandD, orOfA,
                eqEid, byId, inIds, Arbitraries.just(Filters.empty()));
    }

    private static Bson range(Object value, String op) {
        return switch (op) {
            case "gt" -> Filters.gt("b", value);
            case "gte" -> Filters.gte("b", value);
            case "lt" -> Filters.lt("b", value);
            default -> Filters.lte("b", value);
        };
    }

    @Provide
    Arbitrary<List<Query>> queries() {
        Arbitrary<Query> query = Combinators.combine(filter(), Arbitraries.of("none", "b", "-b", "a", "-a"),
                Arbitraries.integers().between(0, 5)).as((filter, sort, limit) -> switch (sort) {
                    case "none" -> new Query(filter, null, limit, null);
                    default -> new Query(filter, sort.startsWith("-") ? Sorts.descending(sort.substring(1))
                            : Sorts.ascending(sort), limit, sort.replace("-", ""));
                });
        return query.list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Change> insert = document().map(d -> new Change(0, d, null, null));
        Arbitrary<Change> update = Combinators.combine(filter(), Arbitraries.oneOf(
                        aValue().map(a -> Updates.set("a", a)), bValue().map(b -> Updates.set("b", b)),
                        cValue().map(c -> Updates.set("c", c)), Arbitraries.just(Updates.unset("b")),
                        Arbitraries.just(Updates.inc("d", 1))))
                .as((f, u) -> new Change(1, null, f, u));
        Arbitrary<Change> delete = filter().map(f -> new Change(2, null, f, null));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, insert), net.jqwik.api.Tuple.of(3, update),
                net.jqwik.api.Tuple.of(1, delete)).list().ofMaxSize(30);
    }

    // --- the properties

    @Property(tries = 150)
    void indexedAnswersEqualFullScans(@ForAll("documents") List<Document> documents,
                                      @ForAll("changes") List<Change> changes,
                                      @ForAll("queries") List<Query> queries) {
        Twins twins = Twins.create(memory.client.getDatabase("differential"));
        twins.load(documents, changes);
        twins.assertSameAnswers(queries);
    }

    @Property(tries = 15)
    void sameAnswersAfterTheStoreRestartsOnItsFile(@ForAll("documents") List<Document> documents,
                                                   @ForAll("changes") List<Change> changes,
                                                   @ForAll("queries") List<Query> queries) throws Exception {
        Path dir = Files.createTempDirectory("store-differential");
        Path file = dir.resolve("store.mv");
        try {
            String indexedName;
            String plainName;
            try (StoreServer first = new StoreServer(DurableStore.open(file))) {
                Twins written = Twins.create(first.client.getDatabase("differential"));
                written.load(documents, changes);
                indexedName = written.indexed().getNamespace().getCollectionName();
                plainName = written.plain().getNamespace().getCollectionName();
            }
            try (StoreServer second = new StoreServer(DurableStore.open(file))) {
                MongoDatabase db = second.client.getDatabase("differential");
                Twins twins = new Twins(db.getCollection(indexedName), db.getCollection(plainName));
                twins.assertSameAnswers(queries);
                // the reopened indexes keep up with new writes too
                twins.load(documents, List.of());
                twins.assertSameAnswers(queries);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A collection with indexes and its twin without, changed alike. */
    record Twins(MongoCollection<Document> indexed, MongoCollection<Document> plain) {

        static Twins create(MongoDatabase db) {
            int n = COLLECTIONS.incrementAndGet();
            MongoCollection<Document> indexed = db.getCollection("indexed-" + n);
            indexed.createIndex(Indexes.ascending("a", "b"));
            indexed.createIndex(Indexes.compoundIndex(Indexes.ascending("d"), Indexes.descending("b")));
            indexed.createIndex(Indexes.ascending("c"));
            indexed.createIndex(Indexes.descending("b"), new IndexOptions().sparse(true));
            indexed.createIndex(Indexes.ascending("e.id"), new IndexOptions().sparse(true));
            return new Twins(indexed, db.getCollection("plain-" + n));
        }

        void load(List<Document> documents, List<Change> changes) {
            int id = 1_000_000 + (int) plain.countDocuments() * 100;
            for (Document document : documents) {
                insertBoth(new Document("_id", id++).append("n", id), document);
            }
            for (Change change : changes) {
                switch (change.kind()) {
                    case 0 -> insertBoth(new Document("_id", id++), change.document());
                    case 1 -> {
                        indexed.updateMany(change.filter(), change.update());
                        plain.updateMany(change.filter(), change.update());
                    }
                    default -> {
                        indexed.deleteMany(change.filter());
                        plain.deleteMany(change.filter());
                    }
                }
            }
        }

        private void insertBoth(Document base, Document fields) {
            Document document = new Document(base);
            document.putAll(fields);
            document.put("_id", base.get("_id"));
            indexed.insertOne(new Document(document));
            plain.insertOne(new Document(document));
        }

        void assertSameAnswers(List<Query> queries) {
            for (Query query : queries) {
                List<Document> fromIndex = run(indexed, query);
                List<Document> fromScan = run(plain, query);
                String what = query.filter() + " sort " + query.sort() + " limit " + query.limit();
                if (query.sort() == null) {
                    if (query.limit() == 0) {
                        assertEquals(ids(fromScan), ids(fromIndex), what);
                    } else {
                        assertEquals(fromScan.size(), fromIndex.size(), what);
                    }
                } else {
                    assertEquals(sortKeys(fromScan, query.sortKey()), sortKeys(fromIndex, query.sortKey()), what);
                    if (query.limit() == 0) {
                        assertEquals(ids(fromScan), ids(fromIndex), what);
                    }
                }
                assertEquals(plain.countDocuments(query.filter()), indexed.countDocuments(query.filter()), what);
            }
        }

        private static List<Document> run(MongoCollection<Document> collection, Query query) {
            FindIterable<Document> find = collection.find(query.filter());
            if (query.sort() != null) {
                find = find.sort(query.sort());
            }
            if (query.limit() > 0) {
                find = find.limit(query.limit());
            }
            return find.into(new ArrayList<>());
        }

        private static Set<Object> ids(List<Document> documents) {
            Set<Object> ids = new HashSet<>();
            documents.forEach(d -> ids.add(d.get("_id")));
            return ids;
        }

        private static List<String> sortKeys(List<Document> documents, String key) {
            List<String> keys = new ArrayList<>();
            // 0 and 0.0 are one value to MongoDB's order; compare them as such
            documents.forEach(d -> keys.add(String.valueOf(d.get(key) instanceof Number n ? n.doubleValue() : d.get(key))));
            return keys;
        }
    }
}
