package dev.tollgate.gateway.auth;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who a token speaks for, so a client (the embed widget) can show who is signed in. */
@Path("/auth/me")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The answer; {@code budget_id} is the claim as the token carries it (null when it has none). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Session(String userId, Object budgetId, Set<String> roles, String expiresAt) {
    }

    private final JsonWebToken caller;

    public SessionResource(JsonWebToken caller) {
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ "user", "service" })
    public Session me() {
        return new Session(caller.getSubject(), caller.getClaim("budget_id"), caller.getGroups(),
                Instant.ofEpochSecond(caller.getExpirationTime()).toString());
    }
}
