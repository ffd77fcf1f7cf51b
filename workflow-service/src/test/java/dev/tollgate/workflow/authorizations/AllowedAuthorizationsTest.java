package dev.tollgate.workflow.authorizations;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

/** The cache logic alone, on a clock the test moves: what is remembered, for how long, and what forgets it. */
class AllowedAuthorizationsTest {

    static final Duration TTL = Duration.ofSeconds(5);

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Ticker clock = nanos::get;

    @Test
    void anAllowedAnswerIsReusedUntilItsTtlRunsOut() {
        AllowedAuthorizations recent = new AllowedAuthorizations(TTL, clock);
        assertFalse(recent.knownAllowed("b1", "w1", List.of()), "nothing is known before the catalog answered");

        recent.answered("b1", "w1", List.of(), true);
        advance(TTL.minusMillis(1));
        assertTrue(recent.knownAllowed("b1", "w1", List.of()), "within the TTL");

        advance(Duration.ofMillis(1));
        assertFalse(recent.knownAllowed("b1", "w1", List.of()), "at the TTL the catalog is asked again");
    }

    @Test
    void aBlockedAnswerIsNeverRememberedAndForgetsAnEarlierAllowed() {
        AllowedAuthorizations recent = new AllowedAuthorizations(TTL, clock);
        recent.answered("b1", "w1", List.of(), false);
        assertFalse(recent.knownAllowed("b1", "w1", List.of()));

        recent.answered("b1", "w1", List.of(), true);
        recent.answered("b1", "w1", List.of(), false);
        assertFalse(recent.knownAllowed("b1", "w1", List.of()), "the newer answer, blocked, wins");
    }

    @Test
    void anAnswerHoldsOnlyForItsBudgetWorkflowAndCredentials() {
        AllowedAuthorizations recent = new AllowedAuthorizations(TTL, clock);
        List<String> credentials = new ArrayList<>(List.of("github_token"));
        recent.answered("b1", "w1", credentials, true);
        credentials.add("slack_token"); // the caller's list changing later changes nothing remembered

        assertTrue(recent.knownAllowed("b1", "w1", List.of("github_token")));
        assertFalse(recent.knownAllowed("b2", "w1", List.of("github_token")), "another budget");
        assertFalse(recent.knownAllowed("b1", "w2", List.of("github_token")), "another workflow");
        assertFalse(recent.knownAllowed("b1", "w1", List.of("github_token", "slack_token")),
                "a definition that now needs another credential is asked about again");
        assertTrue(recent.knownAllowed("b1", "w1", List.of("github_token")));
    }

    @Test
    void forgettingAWorkflowDropsItsAnswersForEveryBudgetOnly() {
        AllowedAuthorizations recent = new AllowedAuthorizations(TTL, clock);
        recent.answered("b1", "w1", List.of(), true);
        recent.answered("b2", "w1", null, true);
        recent.answered("b1", "w2", List.of(), true);

        recent.forgetWorkflow("w1");

        assertFalse(recent.knownAllowed("b1", "w1", List.of()));
        assertFalse(recent.knownAllowed("b2", "w1", List.of()));
        assertTrue(recent.knownAllowed("b1", "w2", List.of()), "other workflows keep theirs");
    }

    @Test
    void aZeroTtlRemembersNothing() {
        AllowedAuthorizations off = new AllowedAuthorizations(Duration.ZERO, clock);
        off.answered("b1", "w1", List.of(), true);
        assertFalse(off.knownAllowed("b1", "w1", List.of()));
        off.forgetWorkflow("w1"); // harmless when off
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
