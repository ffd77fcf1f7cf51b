package dev.tollgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.e2e.documents.SchemaConformance;
import org.junit.jupiter.api.Test;

/**
 * The public API document is written by hand (its prose, examples and error answers are the contract's), so it is
 * held to the types: every documented operation is served by a service whose generated document (SmallRye OpenAPI,
 * from the records its endpoint takes and returns) has the same request and success fields, recursively
 * ({@link SchemaConformance}). The gateway's own operations (token exchange, health, public key, embed pages) are
 * checked by api-gateway's {@code OpenApiDocumentTest}.
 */
abstract class DocumentedSchemas {

    private static final List<String> SERVICES = List.of("credits", "catalog", "workflow", "callback");

    /**
     * What cannot be checked yet, each with its reason; the list may only shrink: a gap that is gone fails the test
     * until it is removed here, and anything not listed fails at once. Empty since every body read as text declares
     * the record it is read into ({@code @RequestBody(content = @Content(schema = @Schema(implementation = ...)))}).
     */
    static final Set<String> NOT_YET_TYPED = Set.of();
    private static final List<String> GATEWAY_OWN = List.of("/auth/", "/health", "/public/", "/.well-known/",
            "/embed");

    @Test
    void everyDocumentedOperationHasTheFieldsOfTheTypesBehindIt() {
        HostilePlatform p = HostilePlatform.current();
        JsonNode served = FuzzTargets.document(p);
        Map<String, JsonNode> generated = new LinkedHashMap<>();
        for (String service : SERVICES) {
            generated.put(service, FuzzTargets.document(p.platform.url(service)));
        }
        List<String> differences = new ArrayList<>();
        int checked = 0;
        for (var path = served.path("paths").fields(); path.hasNext(); ) {
            var item = path.next();
            if (GATEWAY_OWN.stream().anyMatch(item.getKey()::startsWith)) {
                continue;
            }
            for (var method = item.getValue().fieldNames(); method.hasNext(); ) {
                String m = method.next();
                if (m.equals("parameters") || m.equals("summary") || m.equals("description")) {
                    continue;
                }
                SchemaConformance.Operation op = new SchemaConformance.Operation(m, item.getKey());
                Optional<String> owner = Optional.empty();
                for (var service : generated.entrySet()) {
                    SchemaConformance check = new SchemaConformance(served, service.getValue());
                    Optional<JsonNode> generatedOp = check.generatedOperation(op);
                    if (generatedOp.isPresent()) {
                        owner = Optional.of(service.getKey());
                        differences.addAll(check.differences(op, generatedOp.get()));
                        break;
                    }
                }
                if (owner.isEmpty()) {
                    differences.add(op.key() + ": documented, served by no service");
                }
                checked++;
            }
        }
        assertTrue(checked > 30, "the document's operations were found: " + checked);
        List<String> unexpected = differences.stream().filter(d -> !NOT_YET_TYPED.contains(d)).toList();
        assertEquals("", String.join("\n", unexpected), unexpected.size() + " differences between the served "
                + "document and the services' types");
        List<String> gone = NOT_YET_TYPED.stream().filter(gap -> !differences.contains(gap)).sorted().toList();
        assertEquals("", String.join("\n", gone), "typed now: remove from NOT_YET_TYPED");
    }
}
