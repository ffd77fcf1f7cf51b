package dev.tollgate.workflow.runs;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.workflow.admission.OverloadedError;
import dev.tollgate.workflow.config.WorkflowConfig;
import dev.tollgate.workflow.watch.RunWatchers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * The status long-poll ({@code GET runs/{id}?wait_seconds=N}): the run as soon as its status differs from what it was
 * when the request arrived, or as it is when the wait is up. The wait holds no thread: it is a watch in
 * {@link RunWatchers}, woken by the lifecycle events, and a timer. Every read is of the caller's own run.
 */
@ApplicationScoped
public class RunStatusWaits {

    /** The longest wait a caller may ask for. */
    public static final int MAX_WAIT_SECONDS = 30;
    private static final Pattern WHOLE_SECONDS = Pattern.compile("\\d{1,2}");

    private final RunRepository runs;
    private final RunWatchers watchers;
    private final WorkflowConfig config;

    public RunStatusWaits(RunRepository runs, RunWatchers watchers, WorkflowConfig config) {
        this.runs = runs;
        this.watchers = watchers;
        this.config = config;
    }

    /** {@code wait_seconds} as given (absent or empty: no wait); 400 {@code invalid_wait_seconds} unless 0 to 30. */
    public static Duration parseWait(String waitSeconds) {
        if (waitSeconds == null || waitSeconds.isBlank()) {
            return Duration.ZERO;
        }
        String trimmed = waitSeconds.trim();
        if (!WHOLE_SECONDS.matcher(trimmed).matches() || Integer.parseInt(trimmed) > MAX_WAIT_SECONDS) {
            throw new CodedError(400, "invalid_wait_seconds",
                    "wait_seconds must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
        }
        return Duration.ofSeconds(Integer.parseInt(trimmed));
    }

    /** The caller's run, 404 {@code run_not_found} if it is not theirs. */
    public Run readOwned(ObjectId runId, String owner) {
        return runs.findOwned(runId, owner).orElseThrow(() -> notFound(runId));
    }

    /**
     * {@code status} as given: the status the caller last saw (absent or blank: none); 400 {@code invalid_status}
     * unless it is one of the run statuses.
     */
    public static Optional<RunStatus> parseKnownStatus(String status) {
        if (status == null || status.isBlank()) {
            return Optional.empty();
        }
        for (RunStatus candidate : RunStatus.values()) {
            if (candidate.wireName().equals(status.trim())) {
                return Optional.of(candidate);
            }
        }
        throw new CodedError(400, "invalid_status", "status must be one of queued, running, completed, failed, "
                + "setup_required, cancelled: the status you last saw");
    }

    /**
     * The run once its status differs from {@code known} (the status the caller last saw; absent: the status when the
     * request came), or at the end of {@code wait}; at once if it already differs, has ended, or the wait is 0.
     */
    public Uni<Run> read(ObjectId runId, String owner, Duration wait, Optional<RunStatus> known) {
        if (wait.isZero()) {
            return Uni.createFrom().item(readOwned(runId, owner));
        }
        CompletableFuture<Run> changed = new CompletableFuture<>();
        // Watch first, read second: a change between the two is then a signal, read once the first read is known.
        RunStatus[] seen = new RunStatus[1];
        RunChangeReader reader = new RunChangeReader(() -> runs.findOwned(runId, owner), run -> {
            if (run.isEmpty()) {
                changed.completeExceptionally(notFound(runId));
            } else if (run.get().status != seen[0]) {
                changed.complete(run.get());
            }
        }, changed::completeExceptionally, Infrastructure.getDefaultWorkerPool());
        RunWatchers.Watch watch = watchers.watch(runId.toHexString(), reader::signal)
                .orElseThrow(this::overloaded);
        Run first;
        try {
            first = readOwned(runId, owner);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        if (first.status.isTerminal() || known.isPresent() && known.get() != first.status) {
            watch.close();
            return Uni.createFrom().item(first);
        }
        seen[0] = first.status;
        reader.start();
        return Uni.createFrom().completionStage(changed)
                .ifNoItem().after(wait).recoverWithUni(() -> Uni.createFrom().item(() -> readOwned(runId, owner))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .onTermination().invoke(() -> {
                    reader.stop();
                    watch.close();
                });
    }

    OverloadedError overloaded() {
        return new OverloadedError("Too many clients are waiting for runs here; read the status without "
                + "wait_seconds, or retry", config.admission().retryAfter().toSeconds());
    }

    static CodedError notFound(ObjectId runId) {
        return new CodedError(404, "run_not_found", "No run " + runId.toHexString() + " for this caller");
    }
}
