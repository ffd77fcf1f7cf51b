package dev.tollgate.callback.egress;

import dev.tollgate.platform.egress.AddressPolicy;

/**
 * A callback URL that may not be called: not https (outside development), not a usable URL, or a host resolving to
 * an address {@link AddressPolicy} refuses. Never retried: the same URL would be refused again.
 */
public class BlockedTarget extends Exception {

    public BlockedTarget(String message) {
        super(message, null, false, false);
    }
}
