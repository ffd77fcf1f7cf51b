package dev.tollgate.workflow.worker;

import dev.tollgate.workflow.runs.RunStatus;

/** What one step produced: output text (and what it cost), or a reason to stop the run. */
public sealed interface StepResult {

    record Output(String text, long creditsSpent, String model) implements StepResult {
    }

    record Stop(RunStatus status, String errorCode, String message) implements StepResult {
    }
}
