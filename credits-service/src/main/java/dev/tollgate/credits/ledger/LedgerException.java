package dev.tollgate.credits.ledger;

import dev.tollgate.platform.web.CodedError;

/** A request the ledger refuses, with a stable code clients branch on and the HTTP status that goes with it. */
public class LedgerException extends CodedError {

    public LedgerException(int status, String code, String message) {
        super(status, code, message);
    }

    static LedgerException insufficientCredits(long requested, long available) {
        return new LedgerException(402, "insufficient_credits",
                "A hold of " + requested + " credits exceeds the available balance of " + available);
    }

    static LedgerException holdNotFound(String holdId) {
        return new LedgerException(404, "hold_not_found", "No hold " + holdId + " for this user");
    }

    static LedgerException grantNotFound(String grantId) {
        return new LedgerException(404, "grant_not_found", "No grant " + grantId);
    }
}
