package dev.tollgate.workflow.runs;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** The contract's run status enum (the newer reference: {@code completed}, not {@code succeeded}). */
public enum RunStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, SETUP_REQUIRED, CANCELLED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
