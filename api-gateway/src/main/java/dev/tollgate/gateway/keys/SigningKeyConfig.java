package dev.tollgate.gateway.keys;

import io.smallrye.config.ConfigMapping;

/** Where the platform's key pair lives and what the tokens it signs say about themselves. */
@ConfigMapping(prefix = "tollgate.jwt")
public interface SigningKeyConfig {

    /** PEM (X.509 SubjectPublicKeyInfo) of the public key. */
    String publicKeyLocation();

    /** PEM (PKCS#8) of the private key. */
    String privateKeyLocation();

    /** {@code iss} of issued tokens. */
    String issuer();

    /** {@code aud} of access tokens (vendor-tool tokens use the product instead, so they cannot be replayed here). */
    String audience();
}
