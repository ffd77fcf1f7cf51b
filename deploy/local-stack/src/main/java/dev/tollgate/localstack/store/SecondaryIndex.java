package dev.tollgate.localstack.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique index, compound and ordered, kept in an H2 map of the same file as the documents (so it is committed
 * with them). mongo-java-server builds no such index ({@code openOrCreateSecondaryIndex} returns an empty one); the
 * store's {@link QueryPlanner} reads it for equality on a prefix of its keys, then a range or a sort on the next key.
 *
 * <p>Like MongoDB: a missing field is indexed as null (unless the index is sparse and the document has none of the
 * keys), and an array is indexed once per element ("multikey"). A multikey index never claims to deliver documents
 * in sort order, because MongoDB sorts arrays by their smallest or largest element, not by index entry.
 */
final class SecondaryIndex extends Index<Object> {

    private static final String BUILT = "built";
    private static final String MULTIKEY = "multikey";

    private final IndexKeys keyValues;
    private final MVStore store;
    private final MVMap<Object[], Boolean> entries;
    private final MVMap<String, Boolean> meta;
    private final boolean[] descending;
    private final String idField;
    private volatile boolean multikey;

    SecondaryIndex(MVStore store, String mapName, String indexName, List<IndexKey> keys, boolean sparse, String idField) {
        super(indexName, keys, sparse);
        this.keyValues = new IndexKeys(keys);
        this.store = store;
        this.idField = idField;
        this.descending = new boolean[keys.size()];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = !keys.get(i).isAscending();
        }
        this.entries = store.openMap(mapName, new MVMap.Builder<Object[], Boolean>().keyType(new IndexEntryType(descending)));
        this.meta = store.openMap(mapName + "._meta");
        this.multikey = Boolean.TRUE.equals(meta.get(MULTIKEY));
    }

    boolean isDescending(int key) {
        return descending[key];
    }

    boolean isMultikey() {
        return multikey;
    }

    boolean sparse() {
        return isSparse();
    }

    /** Marks the index complete, so a restart does not build it again from the documents. */
    void markBuilt() {
        meta.put(BUILT, Boolean.TRUE);
    }

    /** Entries from {@code from} on, in index order or its reverse; the caller decides where to stop. */
    Iterator<Object[]> entriesFrom(Object[] from, boolean reverse) {
        return entries.cursor(from, null, reverse);
    }

    private List<Object[]> entriesOf(Document document, Object position) {
        if (isSparse() && keys().stream().noneMatch(key -> hasValue(Utils.getSubdocumentValueCollectionAware(document, key)))) {
            return List.of();
        }
        Set<KeyValue> keyValues = getKeyValues(document);
        if (keyValues.isEmpty()) {
            // An empty array yields no element to index; MongoDB still indexes the document (as "undefined"), and
            // so does this index, under the empty array itself, which no indexed query looks up.
            List<Object> values = new ArrayList<>();
            for (String key : keys()) {
                values.add(Utils.getSubdocumentValueCollectionAware(document, key));
            }
            keyValues = Set.of(new KeyValue(values));
        }
        if (!multikey && isMultikey(keyValues)) {
            multikey = true;
            meta.put(MULTIKEY, Boolean.TRUE);
        }
        List<Object[]> result = new ArrayList<>(keyValues.size());
        for (KeyValue keyValue : keyValues) {
            Object[] entry = new Object[keyValue.size() + 1];
            for (int i = 0; i < keyValue.size(); i++) {
                Object value = keyValue.get(i);
                entry[i] = Missing.isNullOrMissing(value) ? null : value;
            }
            entry[keyValue.size()] = position;
            result.add(entry);
        }
        return result;
    }

    // A path through an array ("grants.id") has a value when any element has one.
    private static boolean hasValue(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().anyMatch(SecondaryIndex::hasValue);
        }
        return !(value instanceof Missing);
    }

    private static boolean isMultikey(Set<KeyValue> keyValues) {
        if (keyValues.size() > 1) {
            return true;
        }
        for (KeyValue keyValue : keyValues) {
            for (Object value : keyValue) {
                if (value instanceof Collection) {
                    return true;
                }
            }
        }
        return false;
    }

    private Object positionOf(Document document) {
        return Utils.getSubdocumentValue(document, idField);
    }

    @Override
    public Set<KeyValue> getKeyValues(Document document) {
        Set<KeyValue> values = keyValues.of(document);
        return values != null ? values : super.getKeyValues(document);
    }

    @Override
    public Object getPosition(Document document) {
        // Positions come from the _id index; a non-unique index cannot name one document.
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // Fails on parallel arrays, as MongoDB does, before anything is written.
        getKeyValues(document);
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        for (Object[] entry : entriesOf(document, position)) {
            entries.put(entry, Boolean.TRUE);
        }
    }

    @Override
    public Object remove(Document document) {
        Object position = positionOf(document);
        List<Object[]> documentEntries = entriesOf(document, position);
        if (documentEntries.isEmpty()) {
            return null;
        }
        for (Object[] entry : documentEntries) {
            entries.remove(entry);
        }
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        // Queries reach this index through QueryPlanner, which knows its order; the library's own planner does not.
        return false;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        throw new UnsupportedOperationException("read through QueryPlanner");
    }

    @Override
    public long getCount() {
        return entries.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return !Boolean.TRUE.equals(meta.get(BUILT)) && entries.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        getKeyValues(newDocument);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        if (!nullAwareEqualsKeys(oldDocument, newDocument)) {
            for (Object[] entry : entriesOf(oldDocument, position)) {
                entries.remove(entry);
            }
            add(newDocument, position, collection);
        }
    }

    @Override
    public void drop() {
        store.removeMap(entries);
        store.removeMap(meta);
    }
}
