package dev.tollgate.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ChannelHealthTest {

    private static final String ANSWER = """
            {"status":"DOWN","checks":[
              {"name":"Database connections health check","status":"UP","data":{"<default>":"UP"}},
              {"name":"SmallRye Reactive Messaging - liveness check","status":"DOWN",
               "data":{"run-lifecycle":"[KO] - the consumer is closed","delivery-outcomes":"[OK]"}}]}
            """;

    private final JsonNode health = read(ANSWER);

    @Test
    void readsTheChannelsStateInTheNamedCheck() {
        assertEquals(Optional.of("[KO] - the consumer is closed"),
                ChannelHealth.state(health, ChannelHealth.LIVENESS_CHECK, "run-lifecycle"));
        assertTrue(ChannelHealth.isOk(health, ChannelHealth.LIVENESS_CHECK, "delivery-outcomes"));
        assertFalse(ChannelHealth.isOk(health, ChannelHealth.LIVENESS_CHECK, "run-lifecycle"));
    }

    @Test
    void aChannelOrCheckNotListedIsNotOk() {
        assertEquals(Optional.empty(), ChannelHealth.state(health, ChannelHealth.LIVENESS_CHECK, "elsewhere"));
        assertFalse(ChannelHealth.isOk(health, ChannelHealth.READINESS_CHECK, "delivery-outcomes"));
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
