package dev.tollgate.workflow.runs;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.platform.web.Envelope;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.watch.RunWatchers;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The run's status as Server-Sent Events ({@code GET runs/{id}/events}): first the run as it is, then the run again
 * each time its status changes, each event {@code status} with the status endpoint's body as its data; the stream ends
 * after the run's last status (or after {@code watches.stream-max-duration}, when the client reconnects and goes on).
 * A comment line every {@code watches.stream-heartbeat} keeps idle connections open and notices a client that left.
 */
@ApplicationScoped
public class RunEventStreams {

    private static final Logger LOG = Logger.getLogger(RunEventStreams.class);
    static final String EVENT = "status";

    private final RunStatusWaits waits;
    private final RunRepository runs;
    private final RunWatchers watchers;
    private final WorkflowConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;

    public RunEventStreams(RunStatusWaits waits, RunRepository runs, RunWatchers watchers, WorkflowConfig config,
            ObjectMapper json, Vertx vertx) {
        this.waits = waits;
        this.runs = runs;
        this.watchers = watchers;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    /** Starts the stream; a run that is not the caller's is a 404 (thrown before anything is sent). */
    public void open(ObjectId runId, String owner, SseEventSink sink, Sse sse) {
        new Stream(runId, owner, sink, sse).open();
    }

    private final class Stream {
        private final ObjectId runId;
        private final String owner;
        private final SseEventSink sink;
        private final Sse sse;
        private final RunChangeReader reader;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile RunStatus sent;
        private RunWatchers.Watch watch;
        private long heartbeat = -1;
        private long deadline = -1;

        Stream(ObjectId runId, String owner, SseEventSink sink, Sse sse) {
            this.runId = runId;
            this.owner = owner;
            this.sink = sink;
            this.sse = sse;
            this.reader = new RunChangeReader(() -> runs.findOwned(runId, owner), this::onRead, this::onError,
                    Infrastructure.getDefaultWorkerPool());
        }

        void open() {
            watch = watchers.watch(runId.toHexString(), reader::signal).orElseThrow(waits::overloaded);
            Run first;
            try {
                first = waits.readOwned(runId, owner);
            } catch (RuntimeException e) {
                watch.close();
                throw e;
            }
            send(first);
            if (first.status.isTerminal()) {
                end();
                return;
            }
            heartbeat = vertx.setPeriodic(config.watches().streamHeartbeat().toMillis(), id -> beat());
            deadline = vertx.setTimer(config.watches().streamMaxDuration().toMillis(), id -> end());
            reader.start();
        }

        private synchronized void onRead(Optional<Run> run) {
            if (ended.get()) {
                return;
            }
            if (run.isEmpty()) {
                end();
            } else if (run.get().status != sent) {
                send(run.get());
                if (run.get().status.isTerminal()) {
                    end();
                }
            }
        }

        private void onError(RuntimeException e) {
            LOG.warnf("the event stream of run %s ends: reading it failed: %s", runId, e.toString());
            end();
        }

        private synchronized void send(Run run) {
            if (sink.isClosed()) {
                end();
                return;
            }
            try {
                String data = json.writeValueAsString(Envelope.of(new RunResource.OneRun(RunView.of(run))));
                sent = run.status;
                sink.send(sse.newEventBuilder().name(EVENT).data(data).build())
                        .whenComplete((ok, failed) -> {
                            if (failed != null) {
                                end();
                            }
                        });
            } catch (JsonProcessingException | IllegalStateException e) {
                end(); // IllegalStateException: the client left while this was being written
            }
        }

        private synchronized void beat() {
            if (ended.get()) {
                return;
            }
            if (sink.isClosed()) {
                end();
                return;
            }
            try {
                sink.send(sse.newEventBuilder().comment("keep-alive").build());
            } catch (IllegalStateException closed) {
                end();
            }
        }

        private void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            reader.stop();
            if (watch != null) {
                watch.close();
            }
            if (heartbeat >= 0) {
                vertx.cancelTimer(heartbeat);
            }
            if (deadline >= 0) {
                vertx.cancelTimer(deadline);
            }
            sink.close();
        }
    }
}
