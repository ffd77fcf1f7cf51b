package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * Document ids in the H2 file: an ObjectId in 13 bytes instead of a Java-serialized object, ids an earlier version
 * wrote in H2's generic format still read, and the same order as that format, so old and new pages share a map.
 */
class DocumentIdTypeTest {

    private final DocumentIdType type = new DocumentIdType();
    private final ObjectDataType generic = new ObjectDataType();

    private final List<Object> ids = List.of(new ObjectId("6b0ed808860bb4a5f1589caa"),
            new ObjectId("00000000000000000000ffff"), new ObjectId("ffffffffffffffffffffffff"), new ObjectId(),
            "order-17", "", "demo-user", 42, -7, 1L << 40, 3.5);

    @Test
    void anObjectIdTakesItsTwelveBytesAndATag() {
        ObjectId id = new ObjectId("6b0ed808860bb4a5f1589caa");
        ByteBuffer written = write(type, id);
        assertEquals(13, written.remaining());
        assertEquals(DocumentIdType.OBJECT_ID, written.get(0));
        // what the generic format spends on the same id (Java serialization)
        assertTrue(write(generic, id).remaining() > 60, "the generic format serializes the object");
    }

    @Test
    void everyIdComesBackAsItWent() {
        for (Object id : ids) {
            assertEquals(id, type.read(write(type, id)), () -> "round trip of " + id);
        }
    }

    @Test
    void idsAnEarlierVersionWroteAreRead() {
        for (Object id : ids) {
            assertEquals(id, type.read(write(generic, id)), () -> "earlier format of " + id);
        }
    }

    @Test
    void idsCompareAsTheGenericFormatComparesThem() {
        List<Object> all = new ArrayList<>(ids);
        for (Object a : all) {
            for (Object b : all) {
                assertEquals(Integer.signum(generic.compare(a, b)), Integer.signum(type.compare(a, b)),
                        () -> a + " vs " + b);
            }
        }
    }

    @Test
    void aPageOfBothFormatsReadsInOrder() {
        // keys as one page holds them: some written before this type existed, some after
        WriteBuffer buffer = new WriteBuffer();
        for (int i = 0; i < ids.size(); i++) {
            (i % 2 == 0 ? generic : type).write(buffer, ids.get(i));
        }
        ByteBuffer page = buffer.getBuffer().flip();
        for (Object id : ids) {
            assertEquals(id, type.read(page));
        }
        assertEquals(0, page.remaining());
    }

    private static ByteBuffer write(DataType<Object> format, Object id) {
        WriteBuffer buffer = new WriteBuffer();
        format.write(buffer, id);
        return buffer.getBuffer().flip();
    }
}
