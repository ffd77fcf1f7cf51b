package dev.tollgate.platform.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The envelope of the endpoints the contract gives a message: {@code {"success": true, "message", "data"}} (credits'
 * balance, history and grants; workflow's trigger). Everything else answers the plain {@link Envelope}.
 */
@JsonPropertyOrder({ "success", "message", "data" })
public record MessageEnvelope<T>(boolean success, String message, T data) {

    public static <T> MessageEnvelope<T> of(String message, T data) {
        return new MessageEnvelope<>(true, message, data);
    }
}
