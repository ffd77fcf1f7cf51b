package dev.tollgate.gateway.edge;

/**
 * What the edge keeps of a token whose signature, issuer and audience it checked: who it speaks for and when it
 * stops being valid ({@code exp}, seconds since the epoch).
 */
public record VerifiedToken(String subject, long expiresAtEpochSecond) {

    /** A token is valid strictly before its {@code exp} (RFC 7519, 4.1.4). */
    public boolean isValidAt(long epochMillis) {
        return epochMillis < expiresAtEpochSecond * 1000L;
    }
}
