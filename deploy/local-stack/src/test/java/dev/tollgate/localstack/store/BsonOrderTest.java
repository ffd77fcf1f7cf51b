package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BsonOrder#compare} orders values as MongoDB does: across types by type rank, and within a type exactly as the
 * library's comparator (which it used for every comparison before comparing the common types itself).
 */
class BsonOrderTest {

    @Property(tries = 5000)
    void ordersValuesAsTheLibraryDoes(@ForAll("values") Object a, @ForAll("values") Object b) {
        int expected = Integer.compare(BsonOrder.typeOf(a), BsonOrder.typeOf(b));
        if (expected == 0) {
            expected = ValueComparator.asc().compare(a, b);
        }
        assertEquals(Integer.signum(expected), Integer.signum(BsonOrder.compare(a, b)), a + " vs " + b);
        assertEquals(Integer.signum(expected), -Integer.signum(BsonOrder.compare(b, a)), b + " vs " + a);
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.just(Missing.getInstance()),
                Arbitraries.integers().between(-5, 5).map(i -> (Object) i),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.longs().between(-5, 5).map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(0.0, -0.0, 1.0, 2.5, Double.NaN, Double.POSITIVE_INFINITY).map(d -> (Object) d),
                Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
                Arbitraries.of("a", "b", "ab", "B", "é", "\uD83D\uDE00", "").map(s -> (Object) s),
                Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.longs().between(0, 4_000_000_000_000L).map(ms -> (Object) Instant.ofEpochMilli(ms)),
                Arbitraries.integers().between(0, 3).map(i -> (Object) new ObjectId(
                        String.format("%024x", i * 1_000_003L))),
                Arbitraries.of(new Document("x", 1), new Document("x", 2)).map(d -> (Object) d),
                Arbitraries.of(List.of(1, 2), List.of("a")).map(l -> (Object) l));
    }
}
