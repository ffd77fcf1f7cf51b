package dev.tollgate.workflow.runs;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A run exactly as the contract's RUN object: every field present, {@code null} where unknown. The same JSON is
 * what the status endpoint returns and what a callback POSTs, so clients parse both with one parser.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunView(
        String runId, String workflowId, String status, String prompt, String responseText, String sessionId,
        String model, String errorCode, String errorMessage, String callbackUrl, String callbackStatus,
        Integer callbackLastStatus, String callbackLastError, String callbackAttemptedAt, String callbackDeliveredAt,
        Map<String, Object> requestMetadata, Map<String, Object> runMetadata, String createdAt, String updatedAt,
        String startedAt, String completedAt, String cancelRequestedAt, String cancelRequestedByUserId,
        String cancelRequestId, String cancelReason) {

    public static RunView of(Run r) {
        return new RunView(r.id.toHexString(), r.workflowId, r.status.wireName(), r.prompt, r.responseText,
                r.sessionId, r.model, r.errorCode, r.errorMessage, r.callbackUrl, r.callbackStatus,
                r.callbackLastStatus, r.callbackLastError, iso(r.callbackAttemptedAt), iso(r.callbackDeliveredAt),
                r.requestMetadata == null ? Map.of() : r.requestMetadata,
                r.runMetadata == null ? Map.of() : r.runMetadata, iso(r.createdAt), iso(r.updatedAt),
                iso(r.startedAt), iso(r.completedAt), iso(r.cancelRequestedAt), r.cancelRequestedByUserId,
                r.cancelRequestId, r.cancelReason);
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
