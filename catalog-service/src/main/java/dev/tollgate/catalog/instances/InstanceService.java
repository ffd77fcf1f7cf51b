package dev.tollgate.catalog.instances;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.platform.web.ValidationProblem;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Connection instances: the id a caller keeps and echoes in {@code x-instance-id} to keep per-session context
 * (the kv_memory tool's scope). Created when none is sent; {@code x-instance-metadata} (a JSON object) is stored.
 *
 * <p>An id minted for a request without metadata is not written until the caller echoes it: most callers never do,
 * and its document would say nothing the order does not. An echoed id without metadata changes nothing in its
 * document (only {@code setOnInsert}), so once this replica has recorded an instance it skips that write for the
 * instance's later requests (remembered for {@link #REMEMBERED_FOR} after the last use, at most
 * {@link #REMEMBERED_MAX} instances). Instances are never deleted,
 * so a remembered one is still recorded.
 */
@ApplicationScoped
public class InstanceService {

    static final Pattern ID = Pattern.compile("inst_[A-Za-z0-9_-]{1,64}");

    static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);
    static final long REMEMBERED_MAX = 100_000;

    private final InstanceRepository instances;
    private final ObjectMapper json;

    /** user/instance keys this replica has written: their documents exist. */
    private final Cache<String, Boolean> recorded = Caffeine.newBuilder().expireAfterAccess(REMEMBERED_FOR)
            .maximumSize(REMEMBERED_MAX).build();

    public InstanceService(InstanceRepository instances, ObjectMapper json) {
        this.instances = instances;
        this.json = json;
    }

    /** The instance id to use for this request: the caller's, checked, or a new one. */
    public String resolve(String userId, String presentedId, String metadataHeader) {
        String metadata = null;
        if (metadataHeader != null && !metadataHeader.isBlank()) {
            try {
                JsonNode node = json.readTree(metadataHeader);
                if (!node.isObject()) {
                    throw new IllegalArgumentException();
                }
                metadata = node.toString();
            } catch (Exception e) {
                throw new ValidationProblem(List.of(ValidationProblem.FieldError.of(
                        List.of("header", "x-instance-metadata"), "Input should be a JSON object", "json_invalid",
                        metadataHeader)));
            }
        }
        String id = presentedId;
        boolean minted = id == null || id.isBlank();
        if (minted) {
            id = "inst_" + new ObjectId().toHexString();
        } else if (!ID.matcher(id).matches()) {
            throw new ValidationProblem(List.of(ValidationProblem.FieldError.of(List.of("header", "x-instance-id"),
                    "String should match pattern '" + ID.pattern() + "'", "string_pattern_mismatch", id)));
        }
        String key = InstanceRepository.key(userId, id);
        if (metadata == null && (minted || recorded.getIfPresent(key) != null)) {
            // Minted here without metadata: its document would hold only the owner and a date, which nothing reads;
            // it is written when the caller first echoes the id (or sends metadata). A write per purchase saved.
            return id;
        }
        instances.record(userId, id, metadata);
        recorded.put(key, Boolean.TRUE);
        return id;
    }
}
