package dev.tollgate.callback.signing;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

    /** A new secret at once; the old one also signs until {@code previous_secret_expires_at}. */
    @POST
    @Path("/rotate")
    @RolesAllowed("user")
    public Map<String, Object> rotate() {
        SigningSecret rotated = secrets.rotate(caller.getSubject());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("secret", rotated.secret);
        data.put("previous_secret_expires_at", rotated.previousExpiresAt.toString());
        return Map.of("success", true, "data", data);
    }
}
