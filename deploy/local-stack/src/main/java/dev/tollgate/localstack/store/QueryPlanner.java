package dev.tollgate.localstack.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;

import dev.tollgate.localstack.store.BsonOrder.Bound;

/**
 * Chooses the index that answers a query with the fewest documents read, the way MongoDB's planner does for the
 * shapes Tollgate uses: equality (or {@code $in}) on every key of a unique index; or, on a {@link SecondaryIndex},
 * equality on a prefix of its keys followed by a range on the next key and/or a sort on the keys after the prefix.
 * An index only narrows the candidates: the caller still tests every document it yields against the whole query,
 * so any condition an index cannot serve ({@code $or}, {@code $ne}, regex, ...) is applied as a filter and the answer
 * is always the same as a full scan's.
 */
final class QueryPlanner {

    /** Beyond this many equality combinations ({@code $in} on several keys) the plan stops at a shorter prefix. */
    static final int MAX_POINTS = 256;

    private QueryPlanner() {
    }

    /** The chosen way to find candidates: positions in order, and whether that order is the query's sort. */
    interface Plan {
        Stream<Object> positions();

        boolean deliversSortOrder();
    }

    /** A plan, or null when no index helps and the collection must be scanned. */
    static Plan plan(Document query, Document orderBy, int limit, List<Index<Object>> indexes) {
        if (orderBy != null && orderBy.containsKey("$natural")) {
            return null;
        }
        Map<String, Condition> conditions = new LinkedHashMap<>();
        collectConditions(query, conditions);
        Plan best = null;
        int bestScore = 0;
        for (Index<Object> index : indexes) {
            if (index instanceof UniqueIndex unique) {
                Plan plan = uniquePlan(unique, conditions);
                if (plan != null) {
                    return plan;
                }
            } else if (index instanceof SecondaryIndex secondary) {
                ScoredPlan candidate = secondaryPlan(secondary, conditions, orderBy, limit);
                if (candidate != null && candidate.score > bestScore) {
                    best = candidate.plan;
                    bestScore = candidate.score;
                }
            }
        }
        return best;
    }

    /** What one field's conditions allow an index to do: equality points and/or a range. */
    static final class Condition {
        List<Object> points;
        Object low;
        boolean lowInclusive;
        Object high;
        boolean highInclusive;

        boolean hasRange() {
            return low != null || high != null;
        }

        boolean hasNullPoint() {
            return points != null && points.stream().anyMatch(p -> p == null);
        }

        /** The range with type brackets filled in: {@code $gt: 5} covers numbers above 5, not strings. */
        Object lowOrTypeStart() {
            return low != null ? low : Bound.typeStart(high);
        }

        Object highOrTypeEnd() {
            return high != null ? high : Bound.typeEnd(low);
        }

        boolean inRange(Object value) {
            int c = BsonOrder.compare(value, lowOrTypeStart());
            if (c < 0 || (c == 0 && !lowInclusive)) {
                return false;
            }
            c = BsonOrder.compare(value, highOrTypeEnd());
            return c < 0 || (c == 0 && highInclusive);
        }
    }

    static void collectConditions(Document query, Map<String, Condition> conditions) {
        for (Map.Entry<String, Object> field : query.entrySet()) {
            String key = field.getKey();
            Object value = field.getValue();
            if (key.equals("$and") && value instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof Document partQuery) {
                        collectConditions(partQuery, conditions);
                    }
                }
                continue;
            }
            if (key.startsWith("$") || conditions.containsKey(key)) {
                continue;
            }
            Condition condition = conditionOf(value);
            if (condition != null) {
                conditions.put(key, condition);
            }
        }
    }

    private static Condition conditionOf(Object value) {
        Condition condition = new Condition();
        if (value instanceof Document operators) {
            if (operators.isEmpty() || !operators.keySet().iterator().next().startsWith("$")) {
                return null; // equality with an embedded document: order-sensitive, left to the filter
            }
            for (Map.Entry<String, Object> op : operators.entrySet()) {
                Object operand = op.getValue();
                switch (op.getKey()) {
                    case "$eq" -> {
                        if (isPoint(operand)) {
                            condition.points = List.of(nullSafe(operand));
                        }
                    }
                    case "$in" -> {
                        if (operand instanceof Collection<?> values && !values.isEmpty()
                                && values.stream().allMatch(QueryPlanner::isPoint)) {
                            List<Object> points = new ArrayList<>();
                            values.forEach(v -> points.add(nullSafe(v)));
                            condition.points = points;
                        }
                    }
                    case "$gt", "$gte" -> {
                        if (isRangeBound(operand) && condition.low == null) {
                            condition.low = operand;
                            condition.lowInclusive = op.getKey().equals("$gte");
                        }
                    }
                    case "$lt", "$lte" -> {
                        if (isRangeBound(operand) && condition.high == null) {
                            condition.high = operand;
                            condition.highInclusive = op.getKey().equals("$lte");
                        }
                    }
                    default -> {
                        // $ne, $exists, $regex, $elemMatch ...: applied by the filter only
                    }
                }
            }
            if (condition.low != null && condition.high != null
                    && BsonOrder.typeOf(condition.low) != BsonOrder.typeOf(condition.high)) {
                return null; // nothing of one type lies between bounds of two types; let the filter say so
            }
            return condition.points != null || condition.hasRange() ? condition : null;
        }
        if (!isPoint(value)) {
            return null;
        }
        condition.points = Collections.singletonList(nullSafe(value));
        return condition;
    }

    private static Object nullSafe(Object value) {
        return Missing.isNullOrMissing(value) ? null : value;
    }

    private static boolean isPoint(Object value) {
        return !(value instanceof Document || value instanceof Collection || value instanceof BsonRegularExpression
                || value instanceof Pattern || value instanceof MinKey || value instanceof MaxKey);
    }

    private static boolean isRangeBound(Object value) {
        return isPoint(value) && !Missing.isNullOrMissing(value);
    }

    private static Plan uniquePlan(UniqueIndex index, Map<String, Condition> conditions) {
        List<List<Object>> perKey = new ArrayList<>();
        for (IndexKey key : index.getKeys()) {
            Condition condition = conditions.get(key.getKey());
            if (condition == null || condition.points == null || (index.sparse() && condition.hasNullPoint())) {
                return null;
            }
            perKey.add(condition.points);
        }
        List<List<Object>> points = cartesian(perKey);
        if (points == null) {
            return null;
        }
        return new Plan() {
            @Override
            public Stream<Object> positions() {
                Set<Object> positions = new LinkedHashSet<>();
                for (List<Object> point : points) {
                    Object position = index.lookup(new KeyValue(point).normalized());
                    if (position != null) {
                        positions.add(position);
                    }
                }
                return positions.stream();
            }

            @Override
            public boolean deliversSortOrder() {
                return false;
            }
        };
    }

    private record ScoredPlan(Plan plan, int score) {
    }

    private static ScoredPlan secondaryPlan(SecondaryIndex index, Map<String, Condition> conditions, Document orderBy,
                                            int limit) {
        List<IndexKey> keys = index.getKeys();
        List<List<Object>> prefixPoints = new ArrayList<>();
        int prefix = 0;
        long combinations = 1;
        while (prefix < keys.size()) {
            Condition condition = conditions.get(keys.get(prefix).getKey());
            if (condition == null || condition.points == null || (index.sparse() && condition.hasNullPoint())
                    || combinations * condition.points.size() > MAX_POINTS) {
                break;
            }
            combinations *= condition.points.size();
            prefixPoints.add(condition.points);
            prefix++;
        }
        Condition range = null;
        if (prefix < keys.size()) {
            Condition condition = conditions.get(keys.get(prefix).getKey());
            if (condition != null && condition.hasRange()) {
                range = condition;
            }
        }
        List<List<Object>> points = cartesian(prefixPoints);
        Boolean reverse = points.size() == 1 && !index.isMultikey() ? sortDirection(index, prefix, orderBy, prefixPoints)
                : null;
        boolean ordered = reverse != null && orderBy != null && !orderBy.isEmpty();
        if (prefix == 0 && range == null && !(ordered && limit > 0 && !index.sparse())) {
            return null;
        }
        int score = prefix * 100 + (range != null ? 50 : 0) + (ordered ? 10 : 0);
        boolean iterateReverse = reverse != null && reverse;
        Condition rangeCondition = range;
        int prefixLength = prefix;
        Plan plan = new Plan() {
            @Override
            public Stream<Object> positions() {
                Stream<Object> all = points.stream()
                        .flatMap(point -> scan(index, point, prefixLength, rangeCondition, iterateReverse));
                // one document may sit under several points ($in with repeats) or several entries (arrays)
                return points.size() > 1 || index.isMultikey() ? all.distinct() : all;
            }

            @Override
            public boolean deliversSortOrder() {
                return ordered;
            }
        };
        return new ScoredPlan(plan, score);
    }

    /**
     * Whether the index yields the sort order forward (false), backward (true), or not at all (null). Sort keys the
     * prefix fixes to one value may be named anywhere; the others must be the index keys after the prefix, all in
     * the index's directions or all reversed.
     */
    private static Boolean sortDirection(SecondaryIndex index, int prefix, Document orderBy, List<List<Object>> prefixPoints) {
        if (orderBy == null || orderBy.isEmpty()) {
            return Boolean.FALSE;
        }
        List<IndexKey> keys = index.getKeys();
        Set<String> fixed = new LinkedHashSet<>();
        for (int i = 0; i < prefix; i++) {
            if (prefixPoints.get(i).size() == 1) {
                fixed.add(keys.get(i).getKey());
            }
        }
        Boolean reverse = null;
        int next = prefix;
        for (Map.Entry<String, Object> sortKey : orderBy.entrySet()) {
            if (fixed.contains(sortKey.getKey())) {
                continue;
            }
            if (next >= keys.size() || !keys.get(next).getKey().equals(sortKey.getKey())
                    || !(sortKey.getValue() instanceof Number direction)) {
                return null;
            }
            boolean sortDescending = direction.intValue() < 0;
            boolean thisReverse = sortDescending != index.isDescending(next);
            if (reverse != null && reverse != thisReverse) {
                return null;
            }
            reverse = thisReverse;
            next++;
        }
        return reverse == null ? Boolean.FALSE : reverse;
    }

    /** Positions of the entries under one equality point, within the range, in index order or its reverse. */
    private static Stream<Object> scan(SecondaryIndex index, List<Object> point, int prefix, Condition range,
                                       boolean reverse) {
        int keyCount = index.getKeys().size();
        Object[] from = new Object[keyCount + 1];
        for (int i = 0; i < prefix; i++) {
            from[i] = point.get(i);
        }
        // ascending values along the iteration on the range key?
        boolean valuesAscending = prefix < keyCount && index.isDescending(prefix) == reverse;
        for (int i = prefix; i < keyCount; i++) {
            if (i == prefix && range != null) {
                from[i] = valuesAscending ? range.lowOrTypeStart() : range.highOrTypeEnd();
            } else {
                from[i] = startOf(index.isDescending(i), reverse);
            }
        }
        from[keyCount] = reverse ? Bound.HIGHEST : Bound.LOWEST;
        Iterator<Object[]> entries = index.entriesFrom(from, reverse);
        Iterator<Object> positions = new Iterator<>() {
            private Object next;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (next == null && !done) {
                    if (!entries.hasNext()) {
                        done = true;
                        break;
                    }
                    Object[] entry = entries.next();
                    for (int i = 0; i < prefix; i++) {
                        if (BsonOrder.compare(entry[i], point.get(i)) != 0) {
                            done = true;
                            return false;
                        }
                    }
                    if (range != null) {
                        Object value = entry[prefix];
                        if (valuesAscending ? BsonOrder.compare(value, range.highOrTypeEnd()) > 0
                                : BsonOrder.compare(value, range.lowOrTypeStart()) < 0) {
                            done = true;
                            return false;
                        }
                        if (!range.inRange(value)) {
                            continue;
                        }
                    }
                    next = entry[keyCount];
                }
                return next != null;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object position = next;
                next = null;
                return position;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(positions, Spliterator.ORDERED), false);
    }

    /** The seek value for a free key: the first value along the iteration. */
    private static Bound startOf(boolean descendingKey, boolean reverse) {
        // In index order a descending key puts HIGHEST first; iterating in reverse starts from the other end.
        return descendingKey != reverse ? Bound.HIGHEST : Bound.LOWEST;
    }

    /** Every combination of one value per key, or null when there are more than {@link #MAX_POINTS}. */
    private static List<List<Object>> cartesian(List<List<Object>> perKey) {
        List<List<Object>> result = new ArrayList<>();
        result.add(List.of());
        for (List<Object> values : perKey) {
            List<List<Object>> extended = new ArrayList<>();
            for (List<Object> prefix : result) {
                for (Object value : values) {
                    List<Object> point = new ArrayList<>(prefix);
                    point.add(value);
                    extended.add(point);
                }
            }
            if (extended.size() > MAX_POINTS) {
                return null;
            }
            result = extended;
        }
        return result;
    }
}
