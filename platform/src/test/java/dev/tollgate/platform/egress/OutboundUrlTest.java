package dev.tollgate.platform.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One parse for every outbound URL: normalised, with bad input refused rather than thrown as a runtime error. */
class OutboundUrlTest {

    @Test
    void schemeAndHostAreNormalised() throws Exception {
        OutboundUrl url = OutboundUrl.parse("HttpS://Example.COM.:8443/h?q=1");
        assertEquals("https", url.scheme());
        assertEquals("example.com", url.host());
        assertEquals(8443, url.port());
        assertNull(url.literal());
        assertEquals(443, OutboundUrl.parse("https://xn--bcher-kva.example/").port());
        assertEquals(80, OutboundUrl.parse("http://example.com/").port());
    }

    @Test
    void addressLiteralsAreRecognisedInTheirOneNotation() throws Exception {
        assertNotNull(OutboundUrl.parse("https://8.8.8.8/").literal());
        OutboundUrl v6 = OutboundUrl.parse("https://[2001:4860:4860:0:0:0:0:8888]/");
        assertEquals("2001:4860:4860::8888", v6.host());
        assertNotNull(v6.literal());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com/",
            "https://example.com:0/", "https://example.com:99999/", "https://0x7f000001/", "https://0177.0.0.1/",
            "https://2130706433/", "https://127.1/", "ftp://example.com/", "https://user:pw@example.com/",
            "not a url", "//example.com/", "https://ex%41mple.com/", "https://[1.2.3.4]/", "mailto:a@example.com" })
    void whatCannotBeCalledIsRefused(String url) {
        assertThrows(EgressRefused.class, () -> OutboundUrl.parse(url), url);
    }

    @Test
    void aHostNameLongerThan253CharactersIsRefused() {
        String host = ("a".repeat(50) + ".").repeat(5) + "abcd"; // 259 characters
        EgressRefused refused = assertThrows(EgressRefused.class, () -> OutboundUrl.parse("https://" + host + "/"));
        assertEquals("has a host name longer than 253 characters", refused.reason());
    }

    @Test
    void localNamesAreKnownWithoutDns() throws Exception {
        for (String name : new String[] { "localhost", "a.localhost", "printer.local", "x.internal",
                "metadata.google.internal", "nas.home.arpa", "localhost." }) {
            assertEquals(true, OutboundUrl.parse("https://" + name + "/").localName(), name);
        }
        assertEquals(false, OutboundUrl.parse("https://internal.example.com/").localName());
    }
}
