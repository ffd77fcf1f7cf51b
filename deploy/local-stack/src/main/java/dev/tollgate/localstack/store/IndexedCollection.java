package dev.tollgate.localstack.store;

import java.util.Comparator;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * An H2 collection whose queries, updates and deletes find their candidates through {@link QueryPlanner} instead of
 * the library's exact-keys-only index use, and which counts every document it reads ({@link ExaminedDocuments}).
 */
final class IndexedCollection extends H2Collection {

    private final ExaminedDocuments.Counters counters;
    private final DocumentChanges changes;
    /** Set while this collection runs an update: the documents it finds are copies (see {@link #updateDocuments}). */
    private boolean updating;

    IndexedCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                      MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                      ExaminedDocuments.Counters counters, DocumentChanges changes) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.counters = counters;
        this.changes = changes;
    }

    // The library updates a document it found by changing that very object (its top-level fields) and putting it back.
    // The stored object belongs to pages a checkpoint may be writing meanwhile (WritePipeline), and to answers being
    // encoded: an update therefore finds a copy of each document (its fields; nested values are never changed in
    // place, the update replaces them with its own copies) and puts that back. Both are synchronized on the
    // collection, as every command on it is, so the flag is this collection's own.
    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                                 boolean isMulti, boolean isUpsert, Oplog oplog) {
        updating = true;
        try {
            return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
        } finally {
            updating = false;
        }
    }

    @Override
    public synchronized Document findAndModify(Document query) {
        updating = true;
        try {
            return super.findAndModify(query);
        } finally {
            updating = false;
        }
    }

    @Override
    protected Document getDocument(Object position) {
        Document stored = super.getDocument(position);
        return updating && stored != null ? stored.clone() : stored;
    }

    // The three places a document changes, each inside the collection's lock, so the journal has one document's
    // changes in the order they happened.
    @Override
    protected Object addDocumentInternal(Document document) {
        Object position = super.addDocumentInternal(document);
        changes.put(getDatabaseName(), getCollectionName(), document);
        return position;
    }

    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        changes.put(getDatabaseName(), getCollectionName(), newDocument);
    }

    @Override
    protected void removeDocument(Object position) {
        super.removeDocument(position);
        changes.remove(getDatabaseName(), getCollectionName(), position);
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
        Stream<Document> documents = all.map(DocumentWithPosition::getDocument)
                .map(document -> updating ? document.clone() : document)
                .peek(document -> counters.examined().increment());
        return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
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
