package dev.tollgate.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How {@code bench/run profile} attributes JFR execution samples. */
class PlatformProfileTest {

    private static final String SAMPLES = """
            jdk.ExecutionSample {
              startTime = 14:42:08.951 (2026-11-30)
              sampledThread = "executor-thread-1" (javaThreadId = 40)
              state = "STATE_RUNNABLE"
              stackTrace = [
                org.bson.AbstractBsonWriter.writeName(String) line: 432
                com.mongodb.internal.connection.InternalStreamConnection.sendAndReceive(Object) line: 199
                dev.tollgate.workflow.runs.RunRepository.findById(ObjectId) line: 44
                dev.tollgate.workflow.worker.RunWorker.execute(ObjectId) line: 80
                ...
              ]
            }

            jdk.ExecutionSample {
              startTime = 14:42:08.971 (2026-11-30)
              sampledThread = "executor-thread-2" (javaThreadId = 41)
              stackTrace = [
                java.util.HashMap.getNode(Object) line: 570
                dev.tollgate.workflow.runs.RunRepository.findById(ObjectId) line: 45
              ]
            }

            jdk.ExecutionSample {
              startTime = 14:42:08.991 (2026-11-30)
              sampledThread = "kafka-producer-network-thread" (javaThreadId = 50)
              stackTrace = [
                org.apache.kafka.clients.NetworkClient.poll(long, long) line: 600
                java.lang.Thread.run() line: 1583
              ]
            }
            """;

    @Test
    void aSampleCountsForTheInnermostTollgateFrameElseForTheRunningLibrary() {
        List<String[]> costs = PlatformProfile.costs(SAMPLES);

        assertEquals(2, costs.size());
        assertEquals(List.of("dev.tollgate.workflow.runs.RunRepository.findById", "2", "66.7%"),
                List.of(costs.get(0)));
        assertEquals(List.of("(no Tollgate frame) org.apache.kafka", "1", "33.3%"), List.of(costs.get(1)));
    }
}
