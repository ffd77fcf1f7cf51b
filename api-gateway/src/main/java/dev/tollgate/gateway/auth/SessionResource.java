package dev.tollgate.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who a token speaks for, so a client (the embed widget) can show who is signed in. */
@Path("/auth/me")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    JsonWebToken caller;

    @GET
    @RolesAllowed({ "user", "service" })
    public Map<String, Object> me() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", caller.getSubject());
        body.put("budget_id", caller.getClaim("budget_id"));
        body.put("roles", caller.getGroups());
        body.put("expires_at", java.time.Instant.ofEpochSecond(caller.getExpirationTime()).toString());
        return body;
    }
}
