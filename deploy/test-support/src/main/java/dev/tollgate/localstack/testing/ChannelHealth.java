package dev.tollgate.localstack.testing;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One messaging channel's state as a service's health answer reports it ({@code /q/health/live} or
 * {@code /q/health/ready}): SmallRye Reactive Messaging lists each channel under its check's {@code data}, as
 * {@code "[OK]"} or {@code "[KO] - <why>"}. Tests that take a store or broker away use it to show that a channel
 * survived the outage, not only that a later record got through.
 */
public final class ChannelHealth {

    /** The liveness check's name (a channel failed for good shows here). */
    public static final String LIVENESS_CHECK = "SmallRye Reactive Messaging - liveness check";
    /** The readiness check's name. */
    public static final String READINESS_CHECK = "SmallRye Reactive Messaging - readiness check";

    private ChannelHealth() {
    }

    /** The channel's state text in the named check of this health answer, empty when the answer lists neither. */
    public static Optional<String> state(JsonNode health, String check, String channel) {
        for (JsonNode entry : health.path("checks")) {
            if (check.equals(entry.path("name").asText())) {
                JsonNode state = entry.path("data").path(channel);
                return state.isMissingNode() ? Optional.empty() : Optional.of(state.asText());
            }
        }
        return Optional.empty();
    }

    /** Whether the health answer reports the channel as {@code [OK]} in the named check. */
    public static boolean isOk(JsonNode health, String check, String channel) {
        return state(health, check, channel).filter(s -> s.startsWith("[OK]")).isPresent();
    }
}
