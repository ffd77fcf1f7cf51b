package dev.tollgate.localstack.store;

import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Assert;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;

/**
 * An H2 collection whose queries, updates and deletes find their candidates through {@link QueryPlanner} instead of
 * the library's exact-keys-only index use, which counts every document it reads ({@link ExaminedDocuments}), and
 * whose documents are kept as BSON bytes ({@link DocumentType}): every method of the library's collection that
 * touches its map of documents is replaced here, so that map is only ever this one.
 */
final class IndexedCollection extends H2Collection {

    private final MVMap<Object, byte[]> documents;
    private final ExaminedDocuments.Counters counters;
    private final DocumentChanges changes;

    IndexedCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                      MVMap<Object, byte[]> documents, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                      ExaminedDocuments.Counters counters, DocumentChanges changes) {
        super(database, collectionName, options, asLibraryMap(documents), metaMap, cursorRegistry);
        this.documents = documents;
        this.counters = counters;
        this.changes = changes;
    }

    // The library's constructor only keeps the map; no method of its left unreplaced here reads it.
    @SuppressWarnings("unchecked")
    private static MVMap<Object, Document> asLibraryMap(MVMap<Object, byte[]> documents) {
        return (MVMap<Object, Document>) (MVMap<?, ?>) documents;
    }

    // A document read is decoded into a copy of its own: the library updates a document it found by changing that
    // very object, and answers are encoded from it while a checkpoint may write the stored bytes; neither can reach
    // what is stored.
    @Override
    protected Document getDocument(Object position) {
        byte[] bson = documents.get(position);
        return bson == null ? null : DocumentType.decode(bson);
    }

    // The three places a document changes, each inside the collection's lock, so the journal has one document's
    // changes in the order they happened; each is encoded once, for the map and the journal.
    @Override
    protected Object addDocumentInternal(Document document) {
        String idField = getIdField();
        Object key = idField != null ? Utils.getSubdocumentValue(document, idField) : UUID.randomUUID();
        byte[] bson = DocumentType.encode(document);
        byte[] previous = documents.put(Missing.ofNullable(key), bson);
        Assert.isNull(previous, () -> "Document with key '" + key + "' already existed in " + this);
        changes.put(getDatabaseName(), getCollectionName(), bson);
        return key;
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        byte[] bson = DocumentType.encode(newDocument);
        documents.put(Missing.ofNullable(position), bson);
        changes.put(getDatabaseName(), getCollectionName(), bson);
    }

    @Override
    protected void removeDocument(Object position) {
        if (documents.remove(position) == null) {
            throw new NoSuchElementException("No document with key " + position);
        }
        changes.remove(getDatabaseName(), getCollectionName(), position);
    }

    @Override
    public int count() {
        return documents.size();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(entry -> new DocumentWithPosition<>(DocumentType.decode(entry.getValue()), entry.getKey()));
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        QueryPlanner.Plan plan = QueryPlanner.plan(query, orderBy, limit > 0 ? numberToSkip + limit : 0,
                getIndexes());
        if (plan == null) {
            counters.collectionScans().increment();
            return matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        Stream<Document> candidates = plan.positions().map(this::examine).filter(document -> document != null);
        Comparator<Document> order = plan.deliversSortOrder() ? null : deriveComparator(orderBy);
        return matchDocumentsFromStream(query, candidates, numberToSkip, limit, batchSize, order, fieldSelector);
    }

    private Document examine(Object position) {
        counters.examined().increment();
        return getDocument(position);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Stream<DocumentWithPosition<Object>> all = streamAllDocumentsWithPosition();
        if (isNaturalDescending(orderBy)) {
            all = all.sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()));
        }
        Stream<Document> candidates = all.map(DocumentWithPosition::getDocument)
                .peek(document -> counters.examined().increment());
        return matchDocumentsFromStream(candidates, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    // The library keeps a running total of document sizes (for collStats) in a map of its own, which puts one more
    // map into every commit and encodes every written document once more to measure it. Nothing here reads it.
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    public synchronized void addIndex(Index<Object> index) {
        changes.structureChanged();
        super.addIndex(index);
        if (index instanceof SecondaryIndex secondary) {
            secondary.markBuilt();
        }
    }
}
