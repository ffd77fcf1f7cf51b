package dev.tollgate.localstack.store;

import de.bwaldvogel.mongo.backend.Missing;

/**
 * Where collections report each document they change, and databases each change of structure. Changes go to the
 * {@link Journal} once one is attached; before that (the library's constructor opening the file, a replay of the
 * journal itself) they go nowhere. Collections named {@code system.*} (the library's namespace and index catalogues)
 * change only with structure, which is checkpointed instead of journaled.
 */
final class DocumentChanges {

    private volatile Journal journal;
    private volatile long structureVersion;

    void attach(Journal journal) {
        this.journal = journal;
    }

    /** A document's new state, as the collection stored it: BSON ({@link DocumentType}). */
    void put(String database, String collection, byte[] bson) {
        Journal target = journal;
        if (target != null && !collection.startsWith("system.")) {
            target.put(database, collection, bson);
        }
    }

    void remove(String database, String collection, Object position) {
        Journal target = journal;
        if (target != null && !collection.startsWith("system.") && !(position instanceof Missing)) {
            target.remove(database, collection, position);
        }
    }

    /** A collection or index was created, dropped or renamed. */
    synchronized void structureChanged() {
        structureVersion++;
    }

    long structureVersion() {
        return structureVersion;
    }
}
