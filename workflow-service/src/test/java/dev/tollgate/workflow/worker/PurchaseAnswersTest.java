package dev.tollgate.workflow.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.workflow.catalog.Catalog;
import dev.tollgate.workflow.catalog.StepPurchaseAnswer;
import dev.tollgate.workflow.runs.RunStatus;
import org.junit.jupiter.api.Test;

/** Catalog's purchase answers, code by code: which decide a tool step, and which leave its outcome unknown. */
class PurchaseAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<StepResult> answer(int status, String body) throws Exception {
        return PurchaseAnswers.decide("buy", new Catalog.Purchase(status, JSON.readValue(body, StepPurchaseAnswer.class)));
    }

    private static StepResult.Stop stop(int status, String body) throws Exception {
        return (StepResult.Stop) answer(status, body).orElseThrow();
    }

    @Test
    void aPurchaseStillInProgressUnderTheStepsKeyIsAskedAgainNotSetupRequired() throws Exception {
        assertTrue(answer(409, "{\"error\":\"purchase_in_progress\",\"detail\":\"retry shortly\"}").isEmpty());
    }

    @Test
    void noAnswerFromCatalogLeavesTheChargeUnknown() throws Exception {
        assertTrue(answer(Catalog.NO_ANSWER, "{\"error\":\"catalog_unavailable\"}").isEmpty());
    }

    @Test
    void aServerErrorWithoutASettledOrderLeavesTheChargeUnknown() throws Exception {
        // e.g. a store error after the capture: charged, but answered 500
        assertTrue(answer(500, "{\"detail\":\"Internal error\"}").isEmpty());
        assertTrue(answer(503, "{\"error\":\"credits_unavailable\"}").isEmpty());
        assertTrue(answer(504, "{}").isEmpty());
        // settled by catalog as not charged
        assertEquals(RunStatus.FAILED, stop(503, "{\"error\":\"interrupted\"}").status());
        assertEquals(RunStatus.FAILED, stop(503, "{\"error\":\"hold_expired\"}").status());
    }

    @Test
    void aPurchaseThatAnsweredIsTheStepsOutputWithWhatItCharged() throws Exception {
        StepResult.Output out = (StepResult.Output) answer(200,
                "{\"success\":true,\"data\":{\"waited_seconds\":1.0},\"order_id\":\"o\",\"charged_credits\":3}")
                .orElseThrow();
        assertEquals("{\"waited_seconds\":1.0}", out.text());
        assertEquals(3, out.creditsSpent());
    }

    @Test
    void missingCredentialsAndAProductOffTheBudgetNeedSetup() throws Exception {
        StepResult.Stop credentials = stop(409, "{\"error\":\"missing_credentials\",\"detail\":\"Set these: [k]\"}");
        assertEquals(RunStatus.SETUP_REQUIRED, credentials.status());
        assertEquals("missing_credentials", credentials.errorCode());
        assertEquals("Set these: [k]", credentials.message());
        StepResult.Stop offBudget = stop(403, "{\"error\":\"product_not_on_budget\",\"detail\":\"not enabled\"}");
        assertEquals(RunStatus.SETUP_REQUIRED, offBudget.status());
        assertEquals("product_not_on_budget", offBudget.errorCode());
    }

    @Test
    void failedOrdersFailTheStep() throws Exception {
        assertEquals("insufficient_credits", stop(402, "{\"error\":\"insufficient_credits\"}").errorCode());
        StepResult.Stop tool = stop(502, "{\"error\":\"tool_failed\",\"detail\":\"vendor_timeout\"}");
        assertEquals(RunStatus.FAILED, tool.status());
        assertEquals("tool_failed", tool.errorCode());
        assertEquals("Step buy: vendor_timeout", tool.message());
        assertEquals("product_not_found", stop(404, "{\"error\":\"product_not_found\"}").errorCode());
        // Another 409 is not a setup the budget's owner could do.
        assertEquals(RunStatus.FAILED, stop(409, "{\"error\":\"something_else\"}").status());
    }
}
