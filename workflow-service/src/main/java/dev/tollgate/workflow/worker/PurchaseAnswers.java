package dev.tollgate.workflow.worker;

import java.util.Optional;
import java.util.Set;

import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.runs.RunStatus;

/**
 * What a tool step makes of catalog-service's answer to its purchase, code by code, so that a step never reports a
 * purchase as failed while catalog charges it. Empty: the outcome is not known yet (the purchase is still in progress
 * under the step's order key, or catalog gave no answer), and the step asks again with the same key, which finds the
 * same order instead of buying again.
 */
final class PurchaseAnswers {

    private PurchaseAnswers() {
    }

    static Optional<StepResult> decide(String stepId, Catalog.Purchase answer) {
        String code = answer.body().code();
        String detail = answer.body().explanation();
        return switch (answer.status()) {
            case 200 -> Optional.of(new StepResult.Output(answer.body().output(), answer.body().chargedCredits(),
                    null));
            case 402 -> Optional.of(new StepResult.Stop(RunStatus.FAILED, "insufficient_credits",
                    "Not enough credits for step " + stepId));
            // The budget must be set up by its owner or an admin: not a failure of the run's own.
            case 403 -> Optional.of(setupRequired(code.isEmpty() ? "product_not_on_budget" : code, stepId, detail));
            case 404 -> Optional.of(new StepResult.Stop(RunStatus.FAILED, "product_not_found",
                    "Step " + stepId + ": the product no longer exists"));
            case 409 -> switch (code) {
                // An earlier attempt's purchase under this step's key is still running: its outcome is this step's.
                case "purchase_in_progress" -> Optional.empty();
                case "missing_credentials" -> Optional.of(setupRequired(code, stepId, detail));
                default -> Optional.of(new StepResult.Stop(RunStatus.FAILED, "tool_failed",
                        "Step " + stepId + ": " + (detail.isEmpty() ? code : detail)));
            };
            // No answer (a timeout, catalog down): whether it charged is not known; its order key will tell.
            case Catalog.NO_ANSWER -> Optional.empty();
            // The tool failed: the order failed, nothing was charged, and the same key answers the same.
            case 502 -> Optional.of(new StepResult.Stop(RunStatus.FAILED, "tool_failed",
                    "Step " + stepId + ": " + (detail.isEmpty() ? "the tool failed" : detail)));
            default -> {
                if (answer.status() == 503 && Set.of("interrupted", "hold_expired").contains(code)) {
                    // Settled by catalog as not charged: the same key answers the same.
                    yield Optional.of(new StepResult.Stop(RunStatus.FAILED, "tool_failed",
                            "Step " + stepId + ": " + (detail.isEmpty() ? code : detail)));
                }
                if (answer.status() >= 500) {
                    // Any other 5xx (the ledger away while holding, a store error after a capture): the order may be
                    // charged or not yet; asking again under the key learns which.
                    yield Optional.empty();
                }
                yield Optional.of(new StepResult.Stop(RunStatus.FAILED, "tool_failed",
                        "Step " + stepId + ": " + (detail.isEmpty() ? "the tool failed" : detail)));
            }
        };
    }

    private static StepResult setupRequired(String code, String stepId, String detail) {
        return new StepResult.Stop(RunStatus.SETUP_REQUIRED, code,
                detail.isEmpty() ? "Step " + stepId + " needs setup" : detail);
    }
}
