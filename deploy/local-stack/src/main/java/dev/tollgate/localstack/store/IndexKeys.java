package dev.tollgate.localstack.store;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
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
            values[i] = value;
        }
        // The library's own normalization (numbers as doubles unless a long would lose precision, missing as null).
        return Set.of(new KeyValue(values).normalized());
    }
}
