package dev.tollgate.callback.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The production rules (https, public addresses only), with a fake resolver where DNS answers matter. */
class CallbackTargetsTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Map<String, InetAddress[]> DNS = Map.of(
            "hooks.example.com", new InetAddress[] { ip("93.184.216.34"), ip("93.184.216.35") },
            "rebind.example.com", new InetAddress[] { ip("93.184.216.34"), ip("10.0.0.7") },
            "metadata.example.com", new InetAddress[] { ip("169.254.169.254") });

    final CallbackTargets production = new CallbackTargets(false, host -> {
        InetAddress[] answer = DNS.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        return answer;
    });

    @Test
    void aPublicHttpsHostIsPinnedToTheFirstCheckedAddress() throws Exception {
        CallbackTarget target = production.resolve("https://hooks.example.com/agent/done?x=1");
        assertEquals("hooks.example.com", target.host());
        assertEquals(443, target.port());
        assertTrue(target.https());
        assertEquals(ip("93.184.216.34"), target.address());
        assertEquals("/agent/done?x=1", target.requestUri());
    }

    @Test
    void aHostWithAnyPrivateAddressAmongItsAnswersIsRefused() {
        BlockedTarget e = assertThrows(BlockedTarget.class, () -> production.resolve("https://rebind.example.com/"));
        assertTrue(e.getMessage().contains("10.0.0.7") && e.getMessage().contains("private"), e.getMessage());
        assertThrows(BlockedTarget.class, () -> production.resolve("https://metadata.example.com/latest"));
    }

    @Test
    void localhostIsRefusedThroughTheRealResolverInProduction() {
        CallbackTargets realDns = new CallbackTargets(false, InetAddress::getAllByName);
        BlockedTarget e = assertThrows(BlockedTarget.class, () -> realDns.resolve("https://localhost:8443/hook"));
        assertTrue(e.getMessage().contains("local or internal host"), e.getMessage());
    }

    @Test
    void addressLiteralsAreCheckedToo() {
        for (String url : new String[] { "https://127.0.0.1/", "https://[::1]/", "https://169.254.169.254/",
                "https://[::ffff:127.0.0.1]/", "https://10.0.0.1:8443/", "https://[fd00::1]/" }) {
            assertThrows(BlockedTarget.class, () -> production.resolve(url), url);
        }
    }

    @Test
    void onlyHttpsAndNoUserInfo() {
        assertThrows(BlockedTarget.class, () -> production.resolve("http://hooks.example.com/"));
        assertThrows(BlockedTarget.class, () -> production.resolve("ftp://hooks.example.com/"));
        assertThrows(BlockedTarget.class, () -> production.resolve("https://user:pw@hooks.example.com/"));
        assertThrows(BlockedTarget.class, () -> production.resolve("not a url"));
        assertThrows(BlockedTarget.class, () -> production.resolve("http://127.0.0.1:8080/"),
                "loopback http only where the development switch is on");
    }

    @Test
    void anUnknownNameIsARetryableFailureNotABlock() {
        assertThrows(UnknownHostException.class, () -> production.resolve("https://nowhere.example.com/"));
    }

    @Test
    void theDevelopmentSwitchAllowsTheLoopbackLiteralOnly() throws Exception {
        CallbackTargets dev = new CallbackTargets(true, InetAddress::getAllByName);
        CallbackTarget target = dev.resolve("http://127.0.0.1:9000/hook");
        assertEquals(9000, target.port());
        assertEquals(ip("127.0.0.1"), target.address());
        assertThrows(BlockedTarget.class, () -> dev.resolve("http://localhost:9000/hook"));
        assertThrows(BlockedTarget.class, () -> dev.resolve("http://10.0.0.1:9000/hook"));
    }
}
