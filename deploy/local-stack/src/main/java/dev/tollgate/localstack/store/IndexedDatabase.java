package dev.tollgate.localstack.store;

import java.util.List;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

/**
 * The library's {@code H2Database} with the same map layout (so earlier data folders open), whose collections plan
 * queries over real indexes ({@link IndexedCollection}) and whose non-unique indexes exist ({@link SecondaryIndex}).
 * Index options the store cannot honour (TTL, partial filters) are refused at creation rather than ignored, so a
 * service that relies on them fails at start instead of growing or matching differently than on MongoDB.
 */
final class IndexedDatabase extends AbstractSynchronizedMongoDatabase<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(IndexedDatabase.class);

    private static final String META_PREFIX = "meta.";
    static final String DATABASES_PREFIX = "databases.";
    private static final int CANNOT_CREATE_INDEX = 67;
    private static final String INDEX_FORMATS = "tollgate.indexFormats";
    private static final int KEY_VALUE_ORDER = 2;

    private final MVStore mvStore;
    private final ExaminedDocuments examined;
    private final DocumentChanges changes;

    IndexedDatabase(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry, ExaminedDocuments examined,
                    DocumentChanges changes) {
        super(databaseName, cursorRegistry);
        this.mvStore = mvStore;
        this.examined = examined;
        this.changes = changes;
        initializeNamespacesAndIndexes();
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver,
                                  Oplog oplog) {
        if (command.equalsIgnoreCase("createIndexes")) {
            refuseUnsupportedOptions(query);
        }
        if (command.equalsIgnoreCase("aggregate")) {
            Document answer = aggregateFromLeadingMatch(query, databaseResolver, oplog);
            if (answer != null) {
                return answer;
            }
        }
        return super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    /**
     * A pipeline that starts with {@code $match} gets its input from the query planner, as on MongoDB, instead of
     * the library's "every document through every stage". The driver's {@code countDocuments} is such a pipeline.
     * Null (the library's own way) for any other pipeline.
     */
    private Document aggregateFromLeadingMatch(Document query, DatabaseResolver databaseResolver, Oplog oplog) {
        if (!(query.get("aggregate") instanceof String collectionName)) {
            return null;
        }
        List<Document> pipeline = Aggregation.parse(query.get("pipeline"));
        if (pipeline.isEmpty() || pipeline.get(0).size() != 1
                || !(pipeline.get(0).get("$match") instanceof Document match)
                || match.containsKey("$expr") || match.containsKey("$where") || match.containsKey("$text")
                || pipeline.stream().anyMatch(stage -> stage.containsKey("$changeStream"))) {
            return null;
        }
        MongoCollection<Object> collection = resolveCollection(collectionName, false);
        if (collection == null) {
            return null;
        }
        Aggregation rest = Aggregation.fromPipeline(pipeline.subList(1, pipeline.size()), databaseResolver, this,
                collection, oplog);
        rest.validate(query);
        List<Document> results = rest.runStages(collection.handleQueryAsStream(match));
        Document cursor = new Document("id", 0L);
        cursor.put("ns", getFullCollectionNamespace(collectionName));
        cursor.put("firstBatch", results);
        Document answer = new Document("cursor", cursor);
        answer.put("ok", 1.0);
        return answer;
    }

    private void refuseUnsupportedOptions(Document query) {
        Object specs = query.get("indexes");
        if (!(specs instanceof List<?> list)) {
            return;
        }
        for (Object spec : list) {
            if (spec instanceof Document index) {
                for (String option : List.of("expireAfterSeconds", "partialFilterExpression")) {
                    if (index.containsKey(option)) {
                        String message = "the embedded store does not support the index option '" + option + "' (index "
                                + index.get("name") + " on " + query.get("createIndexes") + "); use MongoDB, or do "
                                + "without it";
                        LOG.error(message);
                        throw new MongoServerError(CANNOT_CREATE_INDEX, message);
                    }
                }
            }
        }
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        String name = mapNameForIndex(collectionName, indexName);
        MVMap<KeyValue, Object> map = mvStore.openMap(name,
                new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueType()).valueType(new DocumentIdType()));
        MVMap<String, Integer> formats = mvStore.openMap(INDEX_FORMATS);
        if (!Integer.valueOf(KEY_VALUE_ORDER).equals(formats.get(name))) {
            // Written by an earlier version, in H2's byte order of serialized keys: emptied here, so the collection
            // builds it again from its documents in this order (once; committed with the first write).
            if (!map.isEmpty()) {
                LOG.info("rebuilding unique index {} of {} in MongoDB's key order (data written by an earlier "
                        + "version)", indexName, collectionName);
                map.clear();
            }
            formats.put(name, KEY_VALUE_ORDER);
        }
        return new UniqueIndex(map, indexName, keys, sparse);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        LOG.info("adding {}secondary index {} {} for collection {}", sparse ? "sparse " : "", indexName, keys,
                collectionName);
        return new SecondaryIndex(mvStore, mapNameForIndex(collectionName, indexName), indexName, keys, sparse, "_id");
    }

    @Override
    protected void dropIndex(MongoCollection<Object> collection, String indexName) {
        changes.structureChanged();
        super.dropIndex(collection, indexName);
        String name = mapNameForIndex(collection.getCollectionName(), indexName);
        if (mvStore.hasMap(name)) {
            mvStore.removeMap(name);
        }
    }

    private String mapNameForIndex(String collectionName, String indexName) {
        return getFullCollectionNamespace(collectionName) + "._index_" + indexName;
    }

    @Override
    public void drop(Oplog oplog) {
        changes.structureChanged();
        super.drop(oplog);
        List<String> names = mvStore.getMapNames().stream()
                .filter(name -> name.startsWith(databaseName + ".")
                        || name.startsWith(DATABASES_PREFIX + databaseName)
                        || name.startsWith(META_PREFIX + databaseName))
                .toList();
        for (String name : names) {
            mvStore.removeMap(name);
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        changes.structureChanged();
        String fullCollectionName = getFullCollectionNamespace(collectionName);
        MVMap<Object, byte[]> dataMap = mvStore.openMap(DATABASES_PREFIX + fullCollectionName,
                new MVMap.Builder<Object, byte[]>().keyType(new DocumentIdType()).valueType(new DocumentType()));
        MVMap<String, Object> metaMap = mvStore.openMap(META_PREFIX + fullCollectionName);
        return new IndexedCollection(this, collectionName, options, dataMap, metaMap, cursorRegistry,
                examined.of(databaseName, collectionName), changes);
    }

    @Override
    protected long getStorageSize() {
        FileStore<?> fileStore = mvStore.getFileStore();
        return fileStore != null ? fileStore.size() : 0;
    }

    @Override
    protected long getFileSize() {
        return getStorageSize();
    }

    @Override
    public void dropCollection(String collectionName, Oplog oplog) {
        changes.structureChanged();
        super.dropCollection(collectionName, oplog);
        String fullCollectionName = getFullCollectionNamespace(collectionName);
        mvStore.removeMap(DATABASES_PREFIX + fullCollectionName);
        mvStore.removeMap(META_PREFIX + fullCollectionName);
    }

    @Override
    public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
        changes.structureChanged();
        super.moveCollection(oldDatabase, collection, newCollectionName);
        String fullCollectionName = collection.getFullName();
        String newFullName = getFullCollectionNamespace(newCollectionName);
        MVMap<Object, byte[]> dataMap = mvStore.openMap(DATABASES_PREFIX + fullCollectionName);
        MVMap<String, Object> metaMap = mvStore.openMap(META_PREFIX + fullCollectionName);
        mvStore.renameMap(dataMap, DATABASES_PREFIX + newFullName);
        mvStore.renameMap(metaMap, META_PREFIX + newFullName);
    }
}
