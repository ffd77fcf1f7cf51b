package dev.tollgate.gateway.edge;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One JSON line per request on the {@code tollgate.access} logger (its own handler prints the bare line, so log
 * shippers parse it as is): time, request id, method, path, status, duration, upstream, user, client address.
 *
 * <p>Runs on the event loop when a response ends, so it stays cheap: the line is streamed by Jackson's generator
 * (no intermediate map), and the handler is asynchronous (application.properties), so the write to stdout happens
 * on a logging thread, not here.
 */
@ApplicationScoped
public class AccessLog {

    public static final String CATEGORY = "tollgate.access";
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final JsonFactory JSON = new JsonFactory();

    public record Entry(String requestId, String method, String path, int status, long durationMicros,
            String upstream, String user, String client) {
    }

    public void log(Entry e) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        LOG.info(line(e, Instant.now()));
    }

    static String line(Entry e, Instant time) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            g.writeNumberField("status", e.status());
            g.writeNumberField("duration_ms", e.durationMicros() / 1000.0);
            g.writeStringField("upstream", e.upstream());
            g.writeStringField("user", e.user());
            g.writeStringField("client", e.client());
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }
}
