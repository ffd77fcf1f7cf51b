package dev.tollgate.workflow.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.workflow.outbox.OutboxWrites;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * A run as the trigger inserted it, carried in its first {@code run.requested} ({@code data.run_document}), so that
 * the worker can claim it without reading it first: the claim is conditional on the run still being exactly that
 * ({@code updatedAt} unchanged; every change of what a run shows moves it), and falls back to reading the run when it
 * is not. Written with the store's own codec, as MongoDB Extended JSON, so the run comes back field for field.
 */
@ApplicationScoped
public class RunSnapshots {

    static final String FIELD = "run_document";
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    @Inject
    RunRepository runs;

    @Inject
    ObjectMapper json;

    private Codec<Run> codec;

    @PostConstruct
    void init() {
        codec = runs.mongoCollection().getCodecRegistry().get(Run.class);
    }

    /** The run as stored, less its outbox and lease (the request is itself in the outbox). */
    public String of(Run run) {
        BsonDocument document = new BsonDocument();
        codec.encode(new BsonDocumentWriter(document), run, EncoderContext.builder().build());
        document.remove(OutboxWrites.EVENTS);
        document.remove(OutboxWrites.PENDING);
        document.remove("leaseOwner");
        document.remove("leaseUntil");
        return document.toJson(JSON);
    }

    /** The run a {@code run.requested} event carries, or null if it carries none (or one this cannot read). */
    public Run fromRequest(String event) {
        if (event == null) {
            return null;
        }
        try {
            JsonNode document = json.readTree(event).path("data").path(FIELD);
            if (!document.isTextual()) {
                return null;
            }
            return codec.decode(new BsonDocumentReader(BsonDocument.parse(document.asText())),
                    DecoderContext.builder().build());
        } catch (java.io.IOException | RuntimeException unreadable) {
            return null; // the worker reads the run instead
        }
    }
}
