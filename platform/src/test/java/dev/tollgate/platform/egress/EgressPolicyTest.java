package dev.tollgate.platform.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbound rules for callbacks, vendor tools and model steps, with a fake resolver where DNS answers matter. */
class EgressPolicyTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, InetAddress[]> DNS = Map.of(
            "api.example.com", new InetAddress[] { ip("93.184.216.34") },
            "rebind.example.com", new InetAddress[] { ip("93.184.216.34"), ip("10.0.0.7") },
            "metadata.example.com", new InetAddress[] { ip("169.254.169.254") },
            "vendor.corp.example", new InetAddress[] { ip("10.20.30.40") },
            "models.lan", new InetAddress[] { ip("192.168.1.50") });

    static InetAddress[] fakeDns(String host) throws UnknownHostException {
        InetAddress[] answer = DNS.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        return answer;
    }

    final EgressPolicy production = new EgressPolicy(false, List.of(), EgressPolicyTest::fakeDns);

    @ParameterizedTest
    @ValueSource(strings = { "https://api.example.com/v1", "HTTPS://API.Example.com:8443/v1", "https://8.8.8.8/x",
            "https://[2606:4700:4700::1111]/x", "https://api.example.com./v1" })
    void aPublicHttpsTargetIsTaken(String url) {
        assertDoesNotThrow(() -> production.check(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // issue 17 item 9: a vendor tool at the loopback address, a model step at the metadata endpoint
            "https://127.0.0.1/x", "http://169.254.169.254/", "https://169.254.169.254/latest",
            // the ranges only AddressPolicy knew, which the trigger used to let through (item 8)
            "https://100.64.0.1/", "https://198.18.0.1/", "https://240.0.0.1/", "https://192.0.2.1/",
            "https://[::127.0.0.1]/", "https://[64:ff9b::7f00:1]/", "https://[2002:7f00:1::1]/",
            "https://[::ffff:10.0.0.1]/", "https://[fd00::1]/", "https://localhost/", "https://router.home.arpa/",
            "http://api.example.com/v1", "https://0x7f000001/", "https://127.1/",
            // a zone id: an interface of this machine (and unresolvable at call time when it names none)
            "https://[2606:4700::1111%25x]/hook", "https://[fe80::1%25eth0]/",
            // translators and tunnels
            "https://[::ffff:0:7f00:1]/", "https://[64:ff9b:1::7f00:1]/", "https://[2001:0:4136:e378::1]/" })
    void aPrivateOrPlainHttpTargetIsRefusedWhenTaken(String url) {
        assertThrows(EgressRefused.class, () -> production.check(url), url);
    }

    @Test
    void everyResolvedAddressIsCheckedWhenCalled() throws Exception {
        assertArrayEquals(DNS.get("api.example.com"), production.checkAndResolve("https://api.example.com/v1"));
        EgressRefused rebind = assertThrows(EgressRefused.class,
                () -> production.checkAndResolve("https://rebind.example.com/"));
        assertTrue(rebind.reason().contains("10.0.0.7") && rebind.reason().contains("private"), rebind.reason());
        EgressRefused metadata = assertThrows(EgressRefused.class,
                () -> production.checkAndResolve("https://metadata.example.com/"));
        assertTrue(metadata.reason().contains("cloud metadata"), metadata.reason());
        assertThrows(UnknownHostException.class, () -> production.checkAndResolve("https://nowhere.example.com/"));
    }

    @Test
    void theOperatorsAllowListLetsNamedPrivateTargetsThroughAndNothingElse() throws Exception {
        EgressPolicy allowing = new EgressPolicy(false, List.of("models.lan", "10.20.0.0/16"),
                EgressPolicyTest::fakeDns);
        // a name on the list: whatever it resolves to, plain http too
        assertEquals(ip("192.168.1.50"), allowing.checkAndResolve("http://models.lan:11434/v1")[0]);
        // a range on the list: a name resolving into it, and a literal inside it
        assertEquals(ip("10.20.30.40"), allowing.checkAndResolve("https://vendor.corp.example/tool")[0]);
        assertEquals(ip("10.20.1.2"), allowing.checkAndResolve("http://10.20.1.2:8080/tool")[0]);
        // outside the list, the rules hold
        assertThrows(EgressRefused.class, () -> allowing.check("https://10.21.0.1/"));
        assertThrows(EgressRefused.class, () -> allowing.checkAndResolve("https://rebind.example.com/"));
        assertThrows(EgressRefused.class, () -> allowing.check("https://169.254.169.254/"));
        assertThrows(EgressRefused.class, () -> allowing.check("http://vendor.corp.example/tool"),
                "a name only resolving into an allowed range still needs https: its addresses are not known yet");
    }

    @Test
    void anAllowListEntryThatIsNeitherANameNorARangeIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class,
                () -> new EgressPolicy(false, List.of("http://models.lan/"), EgressPolicyTest::fakeDns));
        assertThrows(IllegalArgumentException.class,
                () -> new EgressPolicy(false, List.of("1"), EgressPolicyTest::fakeDns), "not 0.0.0.1");
    }

    @Test
    void aRangeWithHostBitsSetIsItsWholeBlock() throws Exception {
        EgressPolicy allowing = new EgressPolicy(false, List.of("10.20.1.0/16"), EgressPolicyTest::fakeDns);
        assertEquals(ip("10.20.30.40"), allowing.checkAndResolve("https://vendor.corp.example/tool")[0]);
    }

    @Test
    void theDevelopmentSwitchLetsTheLoopbackLiteralThroughAndNothingElse() throws Exception {
        EgressPolicy dev = new EgressPolicy(true, List.of(), EgressPolicyTest::fakeDns);
        assertEquals(ip("127.0.0.1"), dev.checkAndResolve("http://127.0.0.1:9000/hook")[0]);
        assertThrows(EgressRefused.class, () -> dev.check("http://localhost:9000/hook"));
        assertThrows(EgressRefused.class, () -> dev.check("http://10.0.0.1:9000/hook"));
        assertThrows(EgressRefused.class, () -> production.check("http://127.0.0.1:9000/hook"));
    }
}
