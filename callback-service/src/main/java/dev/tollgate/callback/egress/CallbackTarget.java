package dev.tollgate.callback.egress;

import java.net.InetAddress;
import java.net.URI;

/**
 * Where one attempt connects: the URL as the receiver knows it (its host goes into {@code Host} and TLS SNI and
 * is what the certificate must name) and the one address that was checked, which is the only one connected to.
 */
public record CallbackTarget(URI url, boolean https, String host, int port, InetAddress address) {

    /** The request target: path and query, never empty. */
    public String requestUri() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
