package dev.tollgate.workflow.runs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.platform.web.CodedError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The callback URL as the trigger checks it, before any DNS: parsed once, refused with a 400 when it cannot be called. */
class CallbackUrlCheckTest {

    @ParameterizedTest
    @ValueSource(strings = { "https://example.com/hook", "HTTPS://example.com/hook", "HttpS://Example.COM:8443/h?q=1",
            "https://xn--bcher-kva.example/hook", "https://8.8.8.8/hook", "https://[2001:4860:4860::8888]/hook",
            "https://a.example.com./hook", "https://123.example.com/hook" })
    void aCallableUrlIsTaken(String url) {
        assertDoesNotThrow(() -> TriggerRequest.checkCallbackUrl(url, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // a DNS label of 64 characters: IDN.toASCII threw and the trigger answered 500
            "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com/hook",
            "https://example.com:0/hook", "https://example.com:99999/hook",
            "https://0x7f000001/hook", "https://0177.0.0.1/hook", "https://2130706433/hook", "https://127.1/hook",
            "https://10.0.0.7/hook", "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://localhost/hook",
            "http://example.com/hook", "ftp://example.com/hook", "https://user:pw@example.com/hook", "not a url",
            "https://ex%41mple.com/hook",
            // no scheme at all: a NullPointerException answered 500
            "//example.com/hook",
            // the root's trailing dot does not make a local name public
            "https://localhost./hook", "https://printer.local./hook", "https://x.internal./hook",
            // ranges only callback-service refused until the trigger used the same egress rules: shared, carrier-grade
            // NAT, benchmarking, reserved, documentation, and IPv6 forms carrying a loopback IPv4 address
            "https://100.64.0.1/hook", "https://198.18.0.1/hook", "https://240.0.0.1/hook", "https://192.0.2.1/hook",
            "https://[::127.0.0.1]/hook", "https://[64:ff9b::7f00:1]/hook", "https://[2002:7f00:1::1]/hook",
            "https://169.254.169.254/latest" })
    void anUncallableUrlIsA400(String url) {
        CodedError refused = assertThrows(CodedError.class, () -> TriggerRequest.checkCallbackUrl(url, false));
        assertEquals(400, refused.status());
    }

    @ParameterizedTest
    @ValueSource(ints = { 254, 300 })
    void aHostNameLongerThan253CharactersIsA400(int length) {
        StringBuilder host = new StringBuilder();
        while (host.length() < length) {
            host.append(host.isEmpty() ? "" : ".").append("a".repeat(Math.min(50, length - host.length() - 1 + 1)));
        }
        String url = "https://" + host.substring(0, length) + "/hook";
        assertThrows(CodedError.class, () -> TriggerRequest.checkCallbackUrl(url, false));
    }
}
