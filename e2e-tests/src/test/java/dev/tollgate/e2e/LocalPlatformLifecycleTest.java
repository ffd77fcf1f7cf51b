package dev.tollgate.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.tollgate.localstack.launcher.LocalPlatform;
import dev.tollgate.localstack.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README command one: {@code deploy/local/up} starts the real platform, {@code deploy/local/down} stops it. */
class LocalPlatformLifecycleTest {

    @TempDir
    Path workDir;

    LocalPlatform platform;

    @AfterEach
    void stopWhateverIsLeft() {
        if (platform != null) {
            platform.down();
        }
    }

    @Test
    void upStartsEveryServiceAgainstTheLocalStackAndDownStopsThem() throws Exception {
        platform = new LocalPlatform(workDir);
        LocalPlatform.Result up = platform.up();
        assertEquals(0, up.exitCode(), up.output());
        assertTrue(up.output().contains("Tollgate is up: " + platform.url("gateway")), up.output());

        given().get(platform.url("gateway") + "/health").then().statusCode(200).body("status", equalTo("ok"));
        String servedKey = given().get(platform.url("gateway") + "/public/jwt-public-key").then().statusCode(200)
                .extract().path("public_key");
        assertEquals(Files.readString(platform.publicKey()).strip(), servedKey.strip());
        for (String service : LocalPlatform.SERVICES) {
            given().get(platform.managementUrl(service) + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        }

        // Tokens signed with the stack's key are accepted by every service; data lives in the store.
        String token = TestTokens.token("e2e-user", "e2e-budget", Set.of("user"), Duration.ofMinutes(5),
                TestTokens.readPrivateKey(platform.privateKey()));
        given().auth().oauth2(token).get(platform.url("credits") + "/credits/balance").then().statusCode(200)
                .body("data.balance", equalTo(0));
        String secret = given().auth().oauth2(token).get(platform.url("callback") + "/api/agent-webhooks/signing-secret")
                .then().statusCode(200).extract().path("data.secret");

        Map<String, Long> pids = platform.pids();
        assertEquals(Set.of("local-stack", "credits", "catalog", "workflow", "callback", "worker", "gateway"), pids.keySet());
        // Background work (the worker's runs, callback-service's deliveries) yields the CPU to the answer path.
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            boolean background = Set.of("worker", "callback").contains(process.getKey());
            assertEquals(background ? Math.min(19, niceOf(ProcessHandle.current().pid()) + 10)
                    : niceOf(ProcessHandle.current().pid()), niceOf(process.getValue()), process.getKey() + "'s nice");
            Path autogroup = Path.of("/proc/" + process.getValue() + "/autogroup");
            if (Files.isReadable(autogroup)) { // its own session's, where the kernel has autogroups
                String weight = Files.readString(autogroup).strip();
                assertTrue(weight.endsWith(background ? "nice 10" : "nice 0"), process.getKey() + ": " + weight);
            }
        }
        LocalPlatform.Result down = platform.down();
        assertEquals(0, down.exitCode(), down.output());
        for (long pid : pids.values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }

        // Data and keys survive a restart: the same token still works and the secret is the one stored before.
        LocalPlatform.Result again = platform.up();
        assertEquals(0, again.exitCode(), again.output());
        given().auth().oauth2(token).get(platform.url("callback") + "/api/agent-webhooks/signing-secret")
                .then().statusCode(200).body("data.secret", equalTo(secret));
    }

    /** A process's nice value, field 19 of /proc/PID/stat (counted after the command name, which may hold spaces). */
    private static int niceOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void aPortInUseIsAClearMessageNotAHang() throws Exception {
        platform = new LocalPlatform(workDir);
        try (ServerSocket squatter = new ServerSocket(platform.ports.get("catalog"), 1, InetAddress.getLoopbackAddress())) {
            LocalPlatform.Result up = platform.up();
            assertEquals(1, up.exitCode(), up.output());
            assertTrue(up.output().contains("port " + squatter.getLocalPort() + " for catalog is already in use"), up.output());
            assertTrue(up.output().contains("TOLLGATE_CATALOG_PORT"), up.output());
            assertTrue(platform.pids().isEmpty(), "nothing should have been started");
        }
    }
}
