package dev.tollgate.callback.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.callback.delivery.Delivery;
import dev.tollgate.platform.messaging.KafkaSends;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code workflow.run.lifecycle} (consumer group {@code callback-deliveries}) in batches (whatever one poll
 * returned, {@code batch=true} on the channel) and hands each terminal run with a callback URL to the
 * {@link DeliveryIntake}: first attempts posted at once, then the whole batch stored in one insert. A slow receiver
 * holds its batch up for at most {@code dispatch.first-post-wait}, and only its batch (batches are taken in parallel);
 * the batch is acknowledged (its offsets committed) after the insert, so no event is lost.
 */
@ApplicationScoped
public class LifecycleListener {

    private static final Logger LOG = Logger.getLogger(LifecycleListener.class);

    private final ObjectMapper json;
    private final DeliveryIntake intake;
    private final FreshRecords fresh;
    private final boolean readFirstCopies;

    public LifecycleListener(ObjectMapper json, DeliveryIntake intake, @Identifier(FreshRecords.NAME) FreshRecords fresh,
            CallbackConfig config) {
        this.json = json;
        this.intake = intake;
        this.fresh = fresh;
        this.readFirstCopies = config.dispatch().readFirstCopies();
    }

    // Each batch on its own virtual thread, many at once (smallrye.messaging.worker.<virtual-thread>.max-concurrency):
    // a batch waiting for a slow receiver's first posts must not hold up the batches after it, nor cap how many
    // first posts are under way at once. Offsets still commit in order (the throttled commit strategy).
    @Incoming("run-lifecycle")
    @RunOnVirtualThread
    public void onEvents(ConsumerRecords<String, String> records) throws InterruptedException {
        List<TerminalRun> runs = new ArrayList<>(records.count());
        Set<String> firstCopies = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            String payload = record.value();
            try {
                if (payload == null || !TerminalRun.TERMINAL_TYPES.contains(TerminalRun.typeOf(payload, json))) {
                    continue; // run.started and the like: no callback, so not worth parsing
                }
                TerminalRun.from(payload, json, KafkaSends.traceparent(record.headers()).orElse(null)).ifPresent(run -> {
                    runs.add(run);
                    if (!readFirstCopies && fresh.isFirstCopy(record)) {
                        firstCopies.add(run.runId());
                    }
                });
            } catch (Exception e) {
                LOG.warnf("ignoring an unreadable lifecycle event: %s", e.getMessage());
            }
        }
        if (runs.isEmpty()) {
            return;
        }
        List<Delivery> prepared = intake.prepare(runs);
        // Without the store no delivery can be recorded: hold the partitions and retry rather than skip. The read that
        // starts a batch (for records that may be replays) is retried before anything is posted; the insert is retried
        // without posting again.
        DeliveryIntake.Batch batch = untilStored("reading", prepared.size(),
                retried -> intake.start(prepared, firstCopies));
        untilStored("storing", prepared.size(), retried -> intake.store(batch, retried));
    }

    private <T> T untilStored(String what, int runs, Function<Boolean, T> step) throws InterruptedException {
        Duration backoff = Duration.ofMillis(200);
        boolean retried = false;
        while (true) {
            try {
                return step.apply(retried);
            } catch (RuntimeException e) {
                LOG.warnf("%s the deliveries of %d runs failed, retrying in %d ms: %s", what, runs,
                        backoff.toMillis(), e.toString());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
                retried = true;
            }
        }
    }
}
