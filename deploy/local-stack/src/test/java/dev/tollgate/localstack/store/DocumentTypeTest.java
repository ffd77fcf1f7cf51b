package dev.tollgate.localstack.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * Documents kept as BSON bytes, in the file and in the page cache: the bytes go to the file unchanged in the earlier
 * format (tag, length, BSON), documents that format and Java serialization wrote come back as BSON, the page cache
 * is charged what the bytes take, and every read decodes a copy of its own.
 */
class DocumentTypeTest {

    private final DocumentType type = new DocumentType();

    private final Document run = new Document("_id", new ObjectId("6b0ed808860bb4a5f1589caa"))
            .append("status", "COMPLETED").append("attempts", 1).append("createdAt", Instant.ofEpochMilli(1_764_000_000_000L))
            .append("requestMetadata", new Document("source", "bench").append("tags", List.of("a", "b")))
            .append("credits", 12L).append("score", 0.5).append("responseText", null);

    @Test
    void bytesGoToTheFileAndComeBackUnchanged() {
        byte[] bson = DocumentType.encode(run);
        byte[] read = type.read(write(bson));
        assertArrayEquals(bson, read);
        assertEquals(run, DocumentType.decode(read));
    }

    @Test
    void theFileFormatIsTheEarlierOnes() {
        // What the earlier type (documents as objects) wrote for a document: 0xF0, the BSON's length, the BSON.
        WriteBuffer earlier = new WriteBuffer();
        BsonTuples.write(earlier, (byte) 0xF0, run);
        ByteBuffer expected = earlier.getBuffer().flip();
        ByteBuffer written = write(DocumentType.encode(run));
        assertEquals(expected, written, "pages written now are read by the earlier version, and the other way round");
        assertEquals(run, DocumentType.decode(type.read(expected)));
    }

    @Test
    void documentsJavaSerializationWroteAreReadAsBson() {
        WriteBuffer serialized = new WriteBuffer();
        new ObjectDataType().write(serialized, run);
        byte[] read = type.read(serialized.getBuffer().flip());
        assertEquals(run, DocumentType.decode(read));
        assertArrayEquals(DocumentType.encode(run), read);
    }

    @Test
    void thePageCacheIsChargedTheBytes() {
        byte[] bson = DocumentType.encode(run);
        assertEquals(24 + bson.length, type.getMemory(bson));
    }

    @Test
    void eachReadIsACopyOfItsOwn() {
        byte[] stored = DocumentType.encode(run);
        Document first = DocumentType.decode(stored);
        first.put("status", "CHANGED");
        ((Document) first.get("requestMetadata")).put("source", "changed");
        Document second = DocumentType.decode(stored);
        assertNotSame(first, second);
        assertEquals(run, second, "changing what a read returned changes nothing stored");
    }

    private ByteBuffer write(byte[] bson) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, bson);
        return buffer.getBuffer().flip();
    }
}
