package dev.tollgate.platform.admission;

import java.util.regex.Pattern;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests that wait for something to happen rather than for work to be done: a run status read with
 * {@code wait_seconds} (up to 30 s) and a run's event stream (until the run ends). They hold a connection for long
 * and cost the service nothing while they wait, so they are counted against their own bound
 * ({@code proxy.max-waiting}), never against the in-flight bound meant for work: a thousand agents following their
 * runs must not make triggers look overloaded.
 */
public final class WaitingRequests {

    private static final Pattern RUN_STATUS = Pattern.compile("/api/agent-webhooks/runs/[^/]+");
    private static final Pattern RUN_EVENTS = Pattern.compile("/api/agent-webhooks/runs/[^/]+/events");

    private WaitingRequests() {
    }

    public static boolean isWaiting(HttpServerRequest request, String path) {
        return request.method() == HttpMethod.GET && isWaiting(path, request.getParam("wait_seconds"));
    }

    /** For a GET of {@code path} with that {@code wait_seconds} query parameter (null when absent). */
    static boolean isWaiting(String path, String waitSeconds) {
        if (RUN_EVENTS.matcher(path).matches()) {
            return true;
        }
        return RUN_STATUS.matcher(path).matches() && waitSeconds != null && !waitSeconds.isBlank()
                && !waitSeconds.trim().equals("0");
    }
}
