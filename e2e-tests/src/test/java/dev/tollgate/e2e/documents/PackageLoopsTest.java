package dev.tollgate.e2e.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18: inside a service, no package imports a package that imports it back (directly or round a loop). Read from
 * the sources (imports and qualified references to the service's own packages), so it needs no build of the module.
 */
class PackageLoopsTest {

    @ParameterizedTest
    @CsvSource({ "credits-service, dev.tollgate.credits", "catalog-service, dev.tollgate.catalog",
            "workflow-service, dev.tollgate.workflow", "callback-service, dev.tollgate.callback",
            "api-gateway, dev.tollgate.gateway", "platform, dev.tollgate.platform" })
    void noPackageOfTheModuleDependsOnItselfRoundALoop(String module, String base) throws IOException {
        Path sources = Path.of("..", module, "src", "main", "java");
        assertTrue(Files.isDirectory(sources), "the module's sources: " + sources.toAbsolutePath());
        Map<String, Set<String>> uses = dependencies(sources, base);
        assertTrue(uses.size() > 1, "packages found in " + module + ": " + uses.keySet());
        List<String> loops = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                if (reaches(uses, to, from, new HashSet<>())) {
                    loops.add(from + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), loops, module + "'s packages: " + uses);
    }

    private static Map<String, Set<String>> dependencies(Path sources, String base) throws IOException {
        Pattern packageLine = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
        Pattern reference = Pattern.compile(Pattern.quote(base) + "\\.(\\w+)\\.[A-Z]");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = packageLine.matcher(text);
                if (!pkg.find() || !pkg.group(1).startsWith(base + ".")) {
                    continue;
                }
                String own = pkg.group(1).substring(base.length() + 1).split("\\.")[0];
                Set<String> targets = uses.computeIfAbsent(own, k -> new TreeSet<>());
                Matcher ref = reference.matcher(text);
                while (ref.find()) {
                    if (!ref.group(1).equals(own)) {
                        targets.add(ref.group(1));
                    }
                }
            }
        }
        return uses;
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        if (from.equals(target)) {
            return true;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (seen.add(next) && reaches(uses, next, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
