package dev.tollgate.e2e.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        assertEquals("", String.join("\n", differences), differences.size() + " differences between the served "
                + "document and the services' types");
    }
}
