package dev.tollgate.callback.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    /** The example of the Standard Webhooks specification. */
    @Test
    void matchesTheSpecificationsExample() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSigner.signature(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    @Test
    void duringARotationAReceiverHoldingEitherSecretAccepts() throws Exception {
        String current = SigningSecrets.newSecret();
        String previous = SigningSecrets.newSecret();
        long now = Instant.now().getEpochSecond();
        String body = "{\"success\":true}";
        String header = WebhookSigner.signature(List.of(current, previous), "msg_1", now, body);
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_1"),
                "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(header));
        new Webhook(current).verify(body, headers);
        new Webhook(previous).verify(body, headers);
        assertThrows(WebhookVerificationException.class,
                () -> new Webhook(SigningSecrets.newSecret()).verify(body, headers));
        assertThrows(WebhookVerificationException.class, () -> new Webhook(current).verify(body + " ", headers));
    }
}
