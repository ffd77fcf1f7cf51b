package dev.tollgate.localstack.store;

import java.util.List;
import java.util.Map.Entry;
import java.util.Set;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A unique index in the same H2 map, with the same name and layout, as the library's {@code H2UniqueIndex} (so data
 * folders of earlier versions open unchanged), plus a point look-up the {@link QueryPlanner} can call: the library
 * uses a unique index only when a query names exactly its keys and nothing else.
 */
final class UniqueIndex extends AbstractUniqueIndex<Object> {

    private final MVMap<KeyValue, Object> map;
    private final IndexKeys keyValues;

    UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
        this.keyValues = new IndexKeys(keys);
    }

    /** The position of the document whose keys equal these (already normalized) values, or null. */
    Object lookup(KeyValue normalizedKey) {
        return map.get(normalizedKey);
    }

    boolean sparse() {
        return isSparse();
    }

    @Override
    public Set<KeyValue> getKeyValues(Document document) {
        Set<KeyValue> values = keyValues.of(document);
        return values != null ? values : super.getKeyValues(document);
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        return map.remove(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        return map.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        return map.get(keyValue);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
