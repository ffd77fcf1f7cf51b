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

    // Every document stored and every index key written is encoded here first: a buffer per thread (store connections,
    // H2's serializer), reused, instead of a new one grown by doubling and dropped each time.
    private static final int SCRATCH_KEPT_BYTES = 1 << 20;
    private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

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
        write(buffer, TAG, tuple);
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
        ByteBuffer bson = encodeToScratch(document);
        byte[] bytes = new byte[bson.remaining()];
        bson.get(bytes);
        return bytes;
    }

    /** Writes {@code tag}, the BSON's length as a varint, then the BSON: a tuple here, and {@link DocumentType}'s layout. */
    static void write(WriteBuffer buffer, byte tag, Document document) {
        ByteBuffer bson = encodeToScratch(document);
        buffer.put(tag).putVarInt(bson.remaining()).put(bson);
    }

    /**
     * The document as BSON in this thread's scratch buffer: valid until the thread encodes again, so the caller copies
     * it where it goes (a page, a journal record) before anything else is encoded.
     */
    static ByteBuffer encodeToScratch(Document document) {
        ByteBuf bson = SCRATCH.get();
        if (bson.capacity() > SCRATCH_KEPT_BYTES) {
            bson = Unpooled.buffer(4096); // one huge document does not pin its buffer to the thread
            SCRATCH.set(bson);
        }
        bson.clear();
        BsonEncoder.encodeDocument(document, bson);
        return bson.nioBuffer(0, bson.writerIndex());
    }

    /** Reads a varint length and that many bytes of BSON. */
    static Document decode(ByteBuffer buffer) {
        int length = DataUtils.readVarInt(buffer);
        int start = buffer.position();
        buffer.position(start + length);
        // Read where it lies (a page being read, a journal record): the decoder copies what it keeps.
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buffer.slice(start, length)));
    }
}
