package dev.tollgate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code deploy/local/up}'s first build shows what it is doing. Drives the script's own
 * {@code build_progress} (deploy/local/lib/stack.sh) with Maven's batch output, as the build pipes it, and reads what
 * a user would see; and on a checkout with nothing built yet it goes on to that build.
 */
class UpBuildProgressTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void eachModuleOfTheReactorIsShownWithItsPlaceAndTheTimeSoFar() throws Exception {
        List<String> shown = progress("""
                [INFO] Scanning for projects...
                [INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/a/1/a-1.pom
                [INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/a/1/a-1.pom (2 kB at 9 kB/s)
                [INFO] ---------------------< dev.tollgate:platform >---------------------
                [INFO] Building Tollgate :: platform library 1.0.0-SNAPSHOT              [4/13]
                [INFO] Downloading from central: https://repo.maven.apache.org/maven2/b/b/1/b-1.jar
                [INFO] Building Tollgate :: credits-service 1.0.0-SNAPSHOT               [7/13]
                [WARNING] Building something else entirely
                [INFO] BUILD SUCCESS
                """);
        assertEquals(List.of("  downloading dependencies from the Maven repositories (once per machine)",
                "  [4/13] platform library (0:00)", "  [7/13] credits-service (0:00)"), shown);
    }

    @Test
    void elapsedTimeReadsAsMinutesAndSeconds() throws Exception {
        assertEquals(List.of("2:05"), bash("source deploy/local/lib/stack.sh; elapsed_since $((SECONDS - 125))", ""));
    }

    @Test
    void theBuildUsesTheProjectsMavenWrapperAndReportsItsProgress() throws IOException {
        String stack = Files.readString(ROOT.resolve("deploy/local/lib/stack.sh"));
        assertTrue(stack.contains("\"$ROOT/mvnw\" -B -DskipTests package 2>&1 | tee \"$LOG_DIR/build.log\""), stack);
        assertTrue(stack.contains("| build_progress \"$start\""), stack);
        assertTrue(stack.contains("echo \"built in $(elapsed_since \"$start\")\""), stack);
    }

    @Test
    void onACheckoutWithNothingBuiltTheLauncherGoesOnToTheBuild(@TempDir Path checkout) throws Exception {
        // The jar lookups run under set -e -o pipefail: before the first build they found nothing and ended the
        // script, silently, with status 1 (the README's first command did nothing on a fresh machine).
        String stack = ROOT.resolve("deploy/local/lib/stack.sh").toString();
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; ROOT=\"$PWD\"; source '" + stack + "'; "
                + "echo \"jars: [$(local_stack_jar)$(bench_jar)]\"; TOLLGATE_NO_BUILD=1 build_if_needed 0")
                .directory(checkout.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash finished");
        assertTrue(out.contains("jars: []"), out);
        // Where it would build, it says why it does not (TOLLGATE_NO_BUILD=1) rather than ending unheard.
        assertTrue(out.contains("the services are not built"), out);
        assertEquals(1, p.exitValue(), out);
    }

    private static List<String> progress(String mavenOutput) throws Exception {
        return bash("source deploy/local/lib/stack.sh; build_progress $SECONDS", mavenOutput);
    }

    private static List<String> bash(String script, String input) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; ROOT=\"$PWD\"; " + script)
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
