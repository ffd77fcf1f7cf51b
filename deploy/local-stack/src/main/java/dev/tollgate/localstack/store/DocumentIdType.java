package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * How document ids are stored in the H2 file: the keys of a collection's document map and the positions a unique
 * index points at. The library leaves both to H2's generic object type, which knows strings and numbers but writes any
 * other class, an {@code ObjectId} included, with Java serialization: a new object stream and the class descriptor for
 * every id, about ten times the id's 12 bytes, on every page a checkpoint writes and every page read back (3.6 % of
 * the local stack's CPU samples at 100 runs/s, and much of its garbage). An ObjectId is written here as its 12 bytes
 * behind a tag the generic format never writes; any other id, and every id an earlier version wrote, goes in and comes
 * out in that format. Ids compare exactly as the generic type compares them, so a map's order does not change and
 * pages of both formats live in one map: nothing is rewritten when an earlier data folder opens.
 */
final class DocumentIdType extends BasicDataType<Object> {

    // Above every tag H2's object format uses (DocumentType uses 0xF0, BsonTuples 0xF1).
    static final byte OBJECT_ID = (byte) 0xF2;
    private static final int OBJECT_ID_BYTES = 12;

    private final ObjectDataType generic = new ObjectDataType();

    @Override
    public int compare(Object a, Object b) {
        // What the generic type ends in for two ObjectIds (they are Comparable), without its type dispatch: a page's
        // binary search compares the same kind of id many times.
        if (a instanceof ObjectId x && b instanceof ObjectId y) {
            return x.compareTo(y);
        }
        return generic.compare(a, b);
    }

    @Override
    public int getMemory(Object id) {
        return id instanceof ObjectId ? 48 : generic.getMemory(id);
    }

    @Override
    public void write(WriteBuffer buffer, Object id) {
        if (id instanceof ObjectId objectId) {
            buffer.put(OBJECT_ID).put(objectId.toByteArray());
        } else {
            generic.write(buffer, id);
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != OBJECT_ID) {
            return generic.read(buffer);
        }
        buffer.get();
        byte[] bytes = new byte[OBJECT_ID_BYTES];
        buffer.get(bytes);
        return new ObjectId(bytes);
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }
}
