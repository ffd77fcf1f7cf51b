package dev.tollgate.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import au.com.dius.pact.consumer.junit5.PactTestFor;
import au.com.dius.pact.core.model.annotations.Pact;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a consumer contract test whose pact, as the test just wrote it, differs from the one committed in
 * {@code contracts/pacts}: with no Pact broker, the committed file is what the provider verifies, so a consumer that
 * changed what it expects without committing the new pact would go on being verified against the old one.
 *
 * <p>Register it before Pact's own extension, so that it runs after Pact has written the file:
 * {@code @ExtendWith(CommittedPacts.class) @ExtendWith(PactConsumerTestExt.class)} (after-all callbacks run in the
 * reverse order of registration). The pacts compared are those of the class's {@code @Pact} methods. After an intended
 * change, run the test with {@code -Dtollgate.contracts.update=true}: the committed file is replaced instead, and the
 * provider's verification then says whether the provider keeps the new contract.
 */
public final class CommittedPacts implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {

    /** Where consumer tests write pacts, relative to the module (Maven's working directory for tests). */
    public static final String WRITTEN = "target/pacts";
    /** Where provider tests read them: the committed folder, seen from a service module. */
    public static final String COMMITTED = "../contracts/pacts";
    /** Replace the committed pacts with the ones written, instead of failing when they differ. */
    public static final String UPDATE_PROPERTY = "tollgate.contracts.update";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExtensionContext.Namespace FAILURES = ExtensionContext.Namespace.create(CommittedPacts.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        // Pact merges into a file it finds: one left by an earlier run would keep interactions since removed.
        for (String file : pactFiles(context.getRequiredTestClass())) {
            Files.deleteIfExists(Path.of(WRITTEN, file));
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            context.getParent().orElseThrow().getStore(FAILURES).put("failed", true);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (context.getExecutionException().isPresent() || context.getStore(FAILURES).get("failed") != null) {
            return; // the pact of a failing test says nothing, and the failure is the news
        }
        List<String> drifted = new ArrayList<>();
        for (String file : pactFiles(context.getRequiredTestClass())) {
            Path written = Path.of(WRITTEN, file);
            Path committed = Path.of(COMMITTED, file);
            if (!Files.exists(written)) {
                throw new AssertionError(written + " was not written: run the whole test class");
            }
            if (Files.exists(committed) && comparable(written).equals(comparable(committed))) {
                continue;
            }
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.copy(written, committed, StandardCopyOption.REPLACE_EXISTING);
            } else {
                drifted.add(file);
            }
        }
        if (!drifted.isEmpty()) {
            throw new AssertionError("The pacts " + drifted + " written to " + WRITTEN + " differ from those committed"
                    + " in contracts/pacts. If the change is intended, run this test with -D" + UPDATE_PROPERTY
                    + "=true, commit contracts/pacts and run the provider's contract test.");
        }
    }

    /** {@code <consumer>-<provider>.json} for each {@code @Pact} method of the class, as Pact names the files. */
    static Set<String> pactFiles(Class<?> testClass) {
        PactTestFor forClass = testClass.getAnnotation(PactTestFor.class);
        Set<String> files = new TreeSet<>();
        for (Method method : testClass.getDeclaredMethods()) {
            Pact pact = method.getAnnotation(Pact.class);
            if (pact == null) {
                continue;
            }
            String provider = !pact.provider().isEmpty() ? pact.provider()
                    : forClass != null ? forClass.providerName() : "";
            if (pact.consumer().isEmpty() || provider.isEmpty()) {
                throw new IllegalStateException(testClass.getSimpleName() + "." + method.getName()
                        + ": name the consumer in @Pact and the provider in @Pact or @PactTestFor");
            }
            files.add(pact.consumer() + "-" + provider + ".json");
        }
        return files;
    }

    /**
     * The pact without what changes with no change of contract: the metadata (Pact JVM's version) and the order of
     * the interactions (the order the test methods ran in).
     */
    private static JsonNode comparable(Path pact) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(pact.toFile());
            tree.remove("metadata");
            for (String list : List.of("interactions", "messages")) {
                if (tree.get(list) instanceof ArrayNode interactions) {
                    List<JsonNode> sorted = new ArrayList<>();
                    interactions.forEach(sorted::add);
                    sorted.sort(Comparator.comparing(JsonNode::toString));
                    tree.set(list, JSON.createArrayNode().addAll(sorted));
                }
            }
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
