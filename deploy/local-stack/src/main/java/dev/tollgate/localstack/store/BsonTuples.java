package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;
import java.util.List;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Index keys (a few values in a row) in the H2 file as one BSON document {@code {"0": v0, "1": v1, ...}}, behind a
 * tag byte that H2's generic object format never writes, so a reader can tell them from keys an earlier version
 * wrote in that format. BSON keeps every value's type (int, long, double, date, ObjectId, ...) for comparison, and
 * costs a fraction of the Java serialization H2 falls back to.
 */
final class BsonTuples {

    static final byte TAG = (byte) 0xF1;

    private BsonTuples() {
    }

    /** A rough size for H2's page cache; an exact one would cost an encoding per call. */
    static int estimatedMemory(Object value) {
        return value instanceof String s ? 40 + 2 * s.length() : 32;
    }

    static boolean isTuple(ByteBuffer buffer) {
        return buffer.get(buffer.position()) == TAG;
    }

    static void write(WriteBuffer buffer, List<?> values) {
        Document tuple = new Document();
        for (int i = 0; i < values.size(); i++) {
            tuple.put(Integer.toString(i), values.get(i));
        }
        byte[] bytes = encode(tuple);
        buffer.put(TAG).putVarInt(bytes.length).put(bytes);
    }

    static Object[] read(ByteBuffer buffer) {
        buffer.get();
        Document tuple = decode(buffer);
        Object[] values = new Object[tuple.size()];
        int i = 0;
        for (Object value : tuple.values()) {
            values[i++] = value;
        }
        return values;
    }

    static byte[] encode(Document document) {
        ByteBuf bson = Unpooled.buffer(128);
        try {
            BsonEncoder.encodeDocument(document, bson);
            byte[] bytes = new byte[bson.readableBytes()];
            bson.readBytes(bytes);
            return bytes;
        } finally {
            bson.release();
        }
    }

    /** Reads a varint length and that many bytes of BSON. */
    static Document decode(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        ByteBuf bson = Unpooled.wrappedBuffer(bytes);
        try {
            return BsonDecoder.decodeBson(bson);
        } finally {
            bson.release();
        }
    }
}
