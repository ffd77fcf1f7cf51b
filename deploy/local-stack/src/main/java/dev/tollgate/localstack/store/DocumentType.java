package dev.tollgate.localstack.store;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.Document;

/**
 * How documents are stored in the H2 file: as BSON, the encoding they arrived in. The library leaves this to H2's
 * generic object type, which falls back to Java serialization for a document, several times slower to write and
 * to read back than BSON, on every commit and every page read from the file. Documents written by an earlier
 * version are still read in that format; each is rewritten as BSON when its page is next written.
 */
final class DocumentType extends BasicDataType<Document> {

    // Above every tag H2's object format uses, so the two formats cannot be confused.
    private static final byte BSON = (byte) 0xF0;
    private static final ObjectDataType EARLIER_FORMAT = new ObjectDataType();

    @Override
    public int getMemory(Document document) {
        return estimate(document, 0);
    }

    // A rough size for H2's page cache; exact sizes would cost an encoding per call.
    private static int estimate(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            int size = 48;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += 40 + 2 * String.valueOf(entry.getKey()).length() + (depth < 8 ? estimate(entry.getValue(), depth + 1) : 64);
            }
            return size;
        }
        if (value instanceof Collection<?> list) {
            int size = 32;
            for (Object element : list) {
                size += 8 + (depth < 8 ? estimate(element, depth + 1) : 64);
            }
            return size;
        }
        if (value instanceof String s) {
            return 40 + 2 * s.length();
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        BsonTuples.write(buffer, BSON, document);
    }

    @Override
    public Document read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != BSON) {
            return (Document) EARLIER_FORMAT.read(buffer);
        }
        buffer.get();
        return BsonTuples.decode(buffer);
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }
}
