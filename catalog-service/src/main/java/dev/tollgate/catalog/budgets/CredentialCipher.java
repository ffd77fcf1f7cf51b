package dev.tollgate.catalog.budgets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.tollgate.catalog.config.CatalogConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Encrypts budget credentials at rest with AES-256-GCM (the JDK's implementation): a fresh 96-bit nonce per value,
 * stored before the ciphertext. The key comes from configuration (a Secret in Kubernetes), never the database.
 */
@ApplicationScoped
public class CredentialCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CatalogConfig config;

    public CredentialCipher(CatalogConfig config) {
        this.config = config;
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential decryption failed (wrong key?)", e);
        }
    }

    private SecretKeySpec key() {
        byte[] raw = Base64.getDecoder().decode(config.credentialsKey());
        if (raw.length != 32) {
            throw new IllegalStateException("tollgate.catalog.credentials-key must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(raw, "AES");
    }
}
