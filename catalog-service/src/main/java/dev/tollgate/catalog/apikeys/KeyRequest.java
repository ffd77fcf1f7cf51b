package dev.tollgate.catalog.apikeys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/**
 * The body of issuing a key, all optional: {@code roles} (a non-empty list of {@link #ASSIGNABLE_ROLES}, repeats
 * dropped; {@code ["user"]} when left out) and {@code label}. No body at all is the defaults.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyRequest(List<String> roles, String label) {

    public static final List<String> ASSIGNABLE_ROLES = List.of("user", "admin");

    public static final KeyRequest DEFAULTS = new KeyRequest(List.of("user"), null);

    public static KeyRequest from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        List<String> roles = DEFAULTS.roles();
        String label = f.optionalString("label", 200);
        JsonNode rolesNode = f.node("roles", false);
        if (rolesNode != null) {
            List<String> asked = new ArrayList<>();
            rolesNode.forEach(r -> asked.add(r.asText()));
            if (!rolesNode.isArray() || asked.isEmpty() || !ASSIGNABLE_ROLES.containsAll(asked)) {
                f.problem(List.of("roles"), "Roles are a non-empty list of " + ASSIGNABLE_ROLES, "enum", rolesNode);
            } else {
                roles = List.copyOf(new LinkedHashSet<>(asked));
            }
        }
        f.done();
        return new KeyRequest(roles, label);
    }
}
