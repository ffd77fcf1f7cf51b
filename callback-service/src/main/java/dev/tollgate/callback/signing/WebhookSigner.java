package dev.tollgate.callback.signing;

import java.util.List;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;

/**
 * The {@code webhook-signature} header of the Standard Webhooks specification, computed by its reference library:
 * {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per secret, space-separated (during a rotation both the
 * new and the previous secret sign, and a receiver holding either accepts the callback).
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static String signature(List<String> secrets, String webhookId, long timestampSeconds, String body) {
        return secrets.stream().map(secret -> sign(secret, webhookId, timestampSeconds, body))
                .collect(Collectors.joining(" "));
    }

    private static String sign(String secret, String webhookId, long timestampSeconds, String body) {
        try {
            return new Webhook(secret).sign(webhookId, timestampSeconds, body);
        } catch (Exception e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
