package dev.tollgate.platform.admission;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How many requests a service works on at once ({@link ServiceAdmission}). */
@ConfigMapping(prefix = "tollgate.http.admission")
public interface AdmissionConfig {

    /**
     * Requests this process works on at once; past it a request is answered 503 {@code overloaded} with a
     * {@code Retry-After} at once. Not counted: {@code /q/} (health, metrics) and requests that wait rather than work
     * ({@link WaitingRequests}). 0 turns the bound off (the gateway, which bounds each upstream instead).
     */
    @WithDefault("256")
    int maxInFlight();

    /**
     * Longest an admitted request may queue for a worker thread before its endpoint starts; past it the request is
     * refused like one past the bound ({@link QueueTimeLimit}, which counts only a request admitted behind at least as
     * many as the pool has threads). 0 turns it off.
     */
    @WithDefault("PT0.5S")
    Duration maxQueueTime();

    /** The seconds a refusal's {@code Retry-After} asks for. */
    @WithDefault("1")
    int retryAfterSeconds();
}
