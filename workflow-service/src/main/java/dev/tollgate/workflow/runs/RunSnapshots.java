package dev.tollgate.workflow.runs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.workflow.outbox.OutboxWrites;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * A run as the trigger inserted it, carried in its first {@code run.requested} as published ({@code data.run_bson};
 * the copy of the request waiting in the run's outbox leaves it out, the run being right there), so that the
 * worker can claim it without reading it first: the claim is conditional on the run still being exactly that
 * ({@code updatedAt} unchanged; every change of what a run shows moves it), and falls back to reading the run when it
 * is not. Written with the store's own codec as a BSON document (base64 in the event's JSON), so the run comes back
 * field for field. BSON rather than Extended JSON text: writing and parsing the text was 7-9 % of the api's and the
 * worker's JFR samples, and the binary form is written and read in about half the time (docs/benchmarks.md). A
 * request written by an earlier version carries the text ({@code data.run_document}); it is still read.
 */
@ApplicationScoped
public class RunSnapshots {

    /** Where a run.requested event carries the run ({@code data.run_bson}). */
    public static final String FIELD = "run_bson";
    /** The Extended JSON text earlier versions wrote; requests still in the topic from before an upgrade carry it. */
    static final String EARLIER_FIELD = "run_document";

    private static final BsonDocumentCodec DOCUMENTS = new BsonDocumentCodec();

    private final RunRepository runs;
    private final ObjectMapper json;
    private Codec<Run> codec;

    public RunSnapshots(RunRepository runs, ObjectMapper json) {
        this.runs = runs;
        this.json = json;
    }

    /** After construction: the codec comes from the store client, which the constructor should not reach for. */
    @PostConstruct
    void init() {
        codec = runs.mongoCollection().getCodecRegistry().get(Run.class);
    }

    /** The run as stored, less its outbox and lease (the request is itself in the outbox), as base64 BSON. */
    public String of(Run run) {
        BsonDocument document = new BsonDocument();
        codec.encode(new BsonDocumentWriter(document), run, EncoderContext.builder().build());
        document.remove(OutboxWrites.EVENTS);
        document.remove(OutboxWrites.PENDING);
        document.remove("leaseOwner");
        document.remove("leaseUntil");
        BasicOutputBuffer bytes = new BasicOutputBuffer(1024);
        try (BsonBinaryWriter writer = new BsonBinaryWriter(bytes)) {
            DOCUMENTS.encode(writer, document, EncoderContext.builder().build());
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The run a {@code run.requested} event carries, or null if it carries none (or one this cannot read). */
    public Run fromRequest(String event) {
        if (event == null) {
            return null;
        }
        try {
            JsonNode data = json.readTree(event).path("data");
            JsonNode bson = data.path(FIELD);
            if (bson.isTextual()) {
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(bson.asText()));
                try (BsonBinaryReader reader = new BsonBinaryReader(bytes)) {
                    return codec.decode(reader, DecoderContext.builder().build());
                }
            }
            JsonNode text = data.path(EARLIER_FIELD);
            if (text.isTextual()) {
                return codec.decode(new BsonDocumentReader(BsonDocument.parse(text.asText())),
                        DecoderContext.builder().build());
            }
            return null;
        } catch (IOException | RuntimeException unreadable) {
            return null; // the worker reads the run instead
        }
    }
}
