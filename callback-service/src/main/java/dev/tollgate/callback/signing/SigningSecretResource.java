package dev.tollgate.callback.signing;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's own signing secret: it verifies the {@code webhook-signature} header of every callback. */
@Path("/api/agent-webhooks/signing-secret")
@Produces(MediaType.APPLICATION_JSON)
public class SigningSecretResource {

    @Inject
    JsonWebToken caller;

    @Inject
    SigningSecrets secrets;

    @GET
    @RolesAllowed("user")
    public Map<String, Object> secret() {
        return Map.of("success", true, "data", Map.of("secret", secrets.forUser(caller.getSubject()).secret));
    }
}
