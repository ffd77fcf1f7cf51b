package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * The store's own index key values must be exactly the library's: entries written by either (an earlier version's
 * file, or a document the library's path handles) are found and removed by the other. Random documents, compared
 * value for value, including the numbers the library normalizes (int, long beyond a double's precision, -0.0).
 */
class IndexKeysTest {

    private static final List<List<String>> KEY_SETS = List.of(List.of("a"), List.of("a", "b"), List.of("_id"),
            List.of("b", "c", "a"), List.of("a.x"), List.of("a", "c.y"));

    @Test
    void theSameKeyValuesAsTheLibraryForTopLevelFieldsAndNullWhereItMustDecide() {
        Random random = new Random(15);
        int computed = 0;
        int leftToLibrary = 0;
        for (List<String> names : KEY_SETS) {
            List<IndexKey> keys = names.stream().map(name -> new IndexKey(name, true)).toList();
            IndexKeys ours = new IndexKeys(keys);
            LibraryKeys library = new LibraryKeys(keys);
            for (int i = 0; i < 5_000; i++) {
                Document document = randomDocument(random, 0);
                Set<KeyValue> fast = ours.of(document);
                boolean pathOrArray = names.stream().anyMatch(n -> n.contains("."))
                        || names.stream().anyMatch(n -> document.get(n) instanceof List);
                if (pathOrArray) {
                    assertNull(fast, () -> "a path or an array is the library's to compute: " + document);
                    leftToLibrary++;
                } else {
                    assertEquals(library.getKeyValues(document), fast, document::toString);
                    computed++;
                }
            }
        }
        assertTrue(computed > 10_000 && leftToLibrary > 5_000, computed + " computed, " + leftToLibrary + " left");
    }

    @Test
    void numbersAreNormalizedAsTheLibraryNormalizesThem() {
        List<IndexKey> keys = List.of(new IndexKey("n", true));
        IndexKeys ours = new IndexKeys(keys);
        LibraryKeys library = new LibraryKeys(keys);
        for (Object n : List.of(0, -0.0, 0.0, 7, 7L, 7.0, (1L << 53) + 1, Long.MAX_VALUE, -(1L << 60) - 3, 2.5f,
                Double.NaN, new Document("x", -0.0).append("y", List.of(3, 4L)))) {
            Document document = new Document("n", n);
            assertEquals(library.getKeyValues(document), ours.of(document), () -> "n = " + n);
        }
        assertEquals(Set.of(new KeyValue(7.0)), ours.of(new Document("n", 7)));
        assertEquals(Set.of(new KeyValue((Object) null)), ours.of(new Document("m", 1)), "missing is null");
    }

    private static Document randomDocument(Random random, int depth) {
        Document document = new Document();
        for (String field : List.of("_id", "a", "b", "c", "d")) {
            Object value = randomValue(random, depth);
            if (value != Absent.FIELD) {
                document.put(field, value);
            }
        }
        return document;
    }

    private enum Absent { FIELD }

    private static Object randomValue(Random random, int depth) {
        return switch (random.nextInt(depth < 2 ? 14 : 11)) {
            case 0 -> Absent.FIELD;
            case 1 -> null;
            case 2 -> random.nextInt(5) - 2;
            case 3 -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(10);
            case 4 -> random.nextBoolean() ? -0.0 : random.nextInt(4) / 2.0;
            case 5 -> "s" + random.nextInt(4);
            case 6 -> random.nextBoolean();
            case 7 -> Date.from(Instant.ofEpochMilli(random.nextInt(3)));
            case 8 -> new ObjectId();
            case 9 -> Instant.ofEpochSecond(random.nextInt(3));
            case 10 -> "";
            case 11, 12 -> randomDocument(random, depth + 1);
            default -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    Object element = randomValue(random, depth + 1);
                    list.add(element == Absent.FIELD ? null : element);
                }
                yield list;
            }
        };
    }

    /** The library's own computation: an index whose only behaviour is the base class's. */
    private static final class LibraryKeys extends Index<Object> {

        LibraryKeys(List<IndexKey> keys) {
            super("library", keys, false);
        }

        @Override
        public Object getPosition(Document document) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkAdd(Document document, MongoCollection<Object> collection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void add(Document document, Object position, MongoCollection<Object> collection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object remove(Document document) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean canHandle(Document query) {
            return false;
        }

        @Override
        public Iterable<Object> getPositions(Document query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCount() {
            return 0;
        }

        @Override
        public long getDataSize() {
            return 0;
        }

        @Override
        public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateInPlace(Document oldDocument, Document newDocument, Object position,
                MongoCollection<Object> collection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void drop() {
        }
    }
}
