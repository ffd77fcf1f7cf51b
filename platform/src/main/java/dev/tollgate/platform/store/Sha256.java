package dev.tollgate.platform.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a string's UTF-8 bytes, the one digest the platform derives ids and cache keys from (order ids, request
 * keys, API-key hashes, verified-token keys, the worker's public reference). Every JDK has SHA-256.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] of(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The digest in lower-case hex, 64 characters. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(of(text));
    }
}
