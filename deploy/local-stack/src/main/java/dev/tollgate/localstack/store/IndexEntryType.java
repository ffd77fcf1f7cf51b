package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How H2 orders and stores the entries of a {@link SecondaryIndex}: an entry is the indexed values followed by the
 * document's position (its {@code _id}), compared value by value in MongoDB's order, each key in its declared
 * direction, the position last. The position makes every entry unique, so equal keys of many documents coexist.
 */
final class IndexEntryType extends BasicDataType<Object[]> {

    private final boolean[] descending;

    IndexEntryType(boolean[] descending) {
        this.descending = descending.clone();
    }

    @Override
    public int compare(Object[] a, Object[] b) {
        int keys = descending.length;
        for (int i = 0; i < keys; i++) {
            int c = BsonOrder.compare(a[i], b[i]);
            if (c != 0) {
                return descending[i] ? -c : c;
            }
        }
        return BsonOrder.compare(a[keys], b[keys]);
    }

    @Override
    public int getMemory(Object[] entry) {
        int memory = 24;
        for (Object value : entry) {
            memory += BsonTuples.estimatedMemory(value);
        }
        return memory;
    }

    @Override
    public void write(WriteBuffer buffer, Object[] entry) {
        BsonTuples.write(buffer, java.util.Arrays.asList(entry));
    }

    @Override
    public Object[] read(ByteBuffer buffer) {
        return BsonTuples.read(buffer);
    }

    @Override
    public Object[][] createStorage(int size) {
        return new Object[size][];
    }
}
