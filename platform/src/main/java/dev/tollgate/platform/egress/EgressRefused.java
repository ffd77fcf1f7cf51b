package dev.tollgate.platform.egress;

/**
 * An outbound URL that may not be called, with why, phrased to follow the field's name ("callback_url must use
 * https"). Not retryable: the same URL is refused again.
 */
public class EgressRefused extends Exception {

    public EgressRefused(String reason) {
        super(reason, null, false, false);
    }

    /** Why, after the field's name: "must use https", "may not point at a private address". */
    public String reason() {
        return getMessage();
    }
}
