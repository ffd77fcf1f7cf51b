package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.backend.KeyValue;

/**
 * The key type of a {@link UniqueIndex}'s map: compared value by value in MongoDB's order, and stored as BSON
 * ({@link BsonTuples}). The library leaves both to H2's generic object type, which does not know {@code KeyValue}
 * and so serializes both keys with Java serialization for every comparison of every look-up; that was most of the
 * store's CPU time on the run path. Keys written that way by an earlier version are still read (once, before the
 * index is rebuilt in this order: see {@link IndexedDatabase}).
 */
final class KeyValueType extends BasicDataType<KeyValue> {

    private static final ObjectDataType EARLIER_FORMAT = new ObjectDataType();

    @Override
    public int compare(KeyValue a, KeyValue b) {
        int size = Math.min(a.size(), b.size());
        for (int i = 0; i < size; i++) {
            int c = BsonOrder.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public int getMemory(KeyValue key) {
        int memory = 24;
        for (Object value : key) {
            memory += BsonTuples.estimatedMemory(value);
        }
        return memory;
    }

    @Override
    public void write(WriteBuffer buffer, KeyValue key) {
        BsonTuples.write(buffer, key.stream().toList());
    }

    @Override
    public KeyValue read(ByteBuffer buffer) {
        if (!BsonTuples.isTuple(buffer)) {
            return (KeyValue) EARLIER_FORMAT.read(buffer); // an earlier version's key, read before the rebuild
        }
        return new KeyValue(BsonTuples.read(buffer));
    }

    @Override
    public KeyValue[] createStorage(int size) {
        return new KeyValue[size];
    }
}
