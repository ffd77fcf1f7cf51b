package dev.tollgate.localstack.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An index's key values for a document, the same as the library's {@code Index.getKeyValues} computes, for the
 * usual case: every key a top-level field and no value an array. The library splits each key with a regular
 * expression and builds a map, streams and lists per call, and a store write calls it several times per index
 * (check, add, compare old and new); it was about a seventh of what the store's connection threads allocate. For a
 * dotted key, or an array value (one entry per element), {@link #of} answers null and the library computes it.
 */
final class IndexKeys {

    private final String[] fields; // null: some key is a path, left to the library

    IndexKeys(List<IndexKey> keys) {
        String[] names = new String[keys.size()];
        boolean topLevel = !keys.isEmpty();
        for (int i = 0; i < names.length; i++) {
            names[i] = keys.get(i).getKey();
            topLevel &= !names[i].contains(".") && !names[i].equals("$");
        }
        this.fields = topLevel ? names : null;
    }

    /** The document's key values (normalized as the library does), or null where the library must compute them. */
    Set<KeyValue> of(Document document) {
        if (fields == null) {
            return null;
        }
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object value = document.getOrMissing(fields[i]);
            if (value instanceof Collection) {
                return null;
            }
            values[i] = normalize(value);
        }
        return Set.of(new KeyValue(values));
    }

    // The library's Utils.normalizeValue (package-private there): numbers compare as doubles unless a long would
    // lose precision, -0.0 is 0.0, missing is null, and sub-documents and arrays are normalized throughout.
    static Object normalize(Object value) {
        if (Missing.isNullOrMissing(value)) {
            return null;
        }
        if (value instanceof Long l && l != (long) l.doubleValue()) {
            return value;
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (d == -0.0) {
                d = 0.0;
            }
            return Double.valueOf(d);
        }
        if (value instanceof Map<?, ?> map) {
            Document result = new Document();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                result.put((String) entry.getKey(), normalize(entry.getValue()));
            }
            return result;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> result = new ArrayList<>(collection.size());
            for (Object element : collection) {
                result.add(normalize(element));
            }
            return result;
        }
        return value;
    }
}
