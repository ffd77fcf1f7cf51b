package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.Unpooled;

/**
 * How documents are kept, in the H2 file and in its page cache alike: as BSON bytes, the encoding they arrived in.
 * Kept as {@link Document} objects, the cache was a quarter of a gigabyte of small maps and strings in the old
 * generation, replaced page by page as commits rewrote them: the collector marked and evacuated them in almost every
 * pause, and those pauses were what the slowest answers waited for. A page of byte arrays holds no references to
 * trace and is copied as a block. Each read decodes its own copy ({@link #decode}), which also means no caller can
 * change a stored document in place. The file format is the earlier one's (tag, varint length, BSON), so files are
 * read and written alike by both; documents written before that, with H2's Java serialization, are still read, and
 * rewritten as BSON when their page is next written.
 */
final class DocumentType extends BasicDataType<byte[]> {

    // Above every tag H2's object format uses, so the two formats cannot be confused.
    private static final byte BSON = (byte) 0xF0;
    private static final ObjectDataType EARLIER_FORMAT = new ObjectDataType();
    // An array's header and length, as H2's own estimates count them.
    private static final int ARRAY_OVERHEAD = 24;

    static byte[] encode(Document document) {
        return BsonTuples.encode(document);
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }

    @Override
    public int getMemory(byte[] bson) {
        return ARRAY_OVERHEAD + bson.length;
    }

    @Override
    public void write(WriteBuffer buffer, byte[] bson) {
        buffer.put(BSON).putVarInt(bson.length).put(bson);
    }

    @Override
    public byte[] read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != BSON) {
            return encode((Document) EARLIER_FORMAT.read(buffer));
        }
        buffer.get();
        byte[] bson = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bson);
        return bson;
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }
}
