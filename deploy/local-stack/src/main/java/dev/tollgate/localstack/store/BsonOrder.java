package dev.tollgate.localstack.store;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * MongoDB's order of values across types (null, numbers, strings, documents, arrays, ..., dates), extended with
 * {@link Bound}s: search keys that sort before or after every value, or before or after every value of one type.
 * Index keys are kept in this order, so a range such as {@code $lt: <date>} is one contiguous stretch of the index
 * that starts at the first date rather than at the first null.
 */
final class BsonOrder {

    private BsonOrder() {
    }

    /** A position in the order that no stored value takes. */
    record Bound(Kind kind, int type) {
        enum Kind { LOWEST, TYPE_START, TYPE_END, HIGHEST }

        static final Bound LOWEST = new Bound(Kind.LOWEST, -2);
        static final Bound HIGHEST = new Bound(Kind.HIGHEST, 99);

        static Bound typeStart(Object value) {
            return new Bound(Kind.TYPE_START, typeOf(value));
        }

        static Bound typeEnd(Object value) {
            return new Bound(Kind.TYPE_END, typeOf(value));
        }
    }

    /** The rank of a value's type in MongoDB's comparison order; null and missing rank together. */
    static int typeOf(Object value) {
        if (value instanceof MinKey) {
            return -1;
        }
        if (Missing.isNullOrMissing(value)) {
            return 0;
        }
        if (value instanceof Number) {
            return 1;
        }
        if (value instanceof String) {
            return 2;
        }
        if (value instanceof Document) {
            return 3;
        }
        if (value instanceof Collection) {
            return 4;
        }
        if (value instanceof BinData) {
            return 5;
        }
        if (value instanceof LegacyUUID) {
            return 6;
        }
        if (value instanceof UUID) {
            return 7;
        }
        if (value instanceof ObjectId) {
            return 8;
        }
        if (value instanceof Boolean) {
            return 9;
        }
        if (value instanceof Instant) {
            return 10;
        }
        if (value instanceof BsonTimestamp) {
            return 11;
        }
        if (value instanceof BsonRegularExpression) {
            return 12;
        }
        if (value instanceof MaxKey) {
            return 13;
        }
        return 14;
    }

    /** Compares two values or bounds in ascending MongoDB order. */
    static int compare(Object a, Object b) {
        if (a instanceof Bound ba) {
            return b instanceof Bound bb ? compareBounds(ba, bb) : compareBoundToValue(ba, b);
        }
        if (b instanceof Bound bb) {
            return -compareBoundToValue(bb, a);
        }
        int type = typeOf(a);
        int byType = Integer.compare(type, typeOf(b));
        if (byType != 0) {
            return byType;
        }
        // The types index keys mostly hold, compared as the library would. Its comparator finds each value's type
        // again by walking a list of classes, which made comparing keys about a tenth of the store's CPU on the run
        // path (every index lookup and insert compares a key with a dozen others). BsonOrderTest checks that both agree.
        return switch (type) {
            case 0 -> 0; // null and missing are equal
            case 2 -> ((String) a).compareTo((String) b);
            case 8 -> ((ObjectId) a).compareTo((ObjectId) b);
            case 9 -> Boolean.compare((Boolean) a, (Boolean) b);
            case 10 -> ((Instant) a).compareTo((Instant) b);
            case 1 -> isIntegral(a) && isIntegral(b)
                    ? Long.compare(((Number) a).longValue(), ((Number) b).longValue())
                    : ValueComparator.asc().compare(a, b);
            default -> ValueComparator.asc().compare(a, b);
        };
    }

    private static boolean isIntegral(Object number) {
        return number instanceof Integer || number instanceof Long;
    }

    private static int compareBoundToValue(Bound bound, Object value) {
        return switch (bound.kind()) {
            case LOWEST -> -1;
            case HIGHEST -> 1;
            case TYPE_START -> bound.type() <= typeOf(value) ? -1 : 1;
            case TYPE_END -> bound.type() >= typeOf(value) ? 1 : -1;
        };
    }

    private static int compareBounds(Bound a, Bound b) {
        int byType = Integer.compare(rank(a), rank(b));
        return byType != 0 ? byType : Integer.compare(a.kind().ordinal(), b.kind().ordinal());
    }

    // TYPE_START(t) sits just below every value of type t, TYPE_END(t) just above; scale by 2 to order them.
    private static int rank(Bound b) {
        return switch (b.kind()) {
            case LOWEST -> Integer.MIN_VALUE;
            case HIGHEST -> Integer.MAX_VALUE;
            case TYPE_START -> b.type() * 2;
            case TYPE_END -> b.type() * 2 + 1;
        };
    }
}
