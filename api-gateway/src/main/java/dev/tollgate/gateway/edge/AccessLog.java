package dev.tollgate.gateway.edge;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * One JSON line per request on the {@code tollgate.access} logger (its own handler prints the bare line, so log
 * shippers parse it as is): time, request id, method, path, status, duration, upstream, user, client address.
 */
@ApplicationScoped
public class AccessLog {

    public static final String CATEGORY = "tollgate.access";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Inject
    ObjectMapper json;

    public record Entry(String requestId, String method, String path, int status, long durationMicros,
            String upstream, String user, String client) {
    }

    public void log(Entry e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("request_id", e.requestId());
        line.put("method", e.method());
        line.put("path", e.path());
        line.put("status", e.status());
        line.put("duration_ms", e.durationMicros() / 1000.0);
        line.put("upstream", e.upstream());
        line.put("user", e.user());
        line.put("client", e.client());
        try {
            LOG.info(json.writeValueAsString(line));
        } catch (JsonProcessingException impossible) {
            LOG.info(line.toString());
        }
    }
}
