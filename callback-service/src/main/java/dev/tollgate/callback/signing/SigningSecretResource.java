package dev.tollgate.callback.signing;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.Envelope;
import jakarta.annotation.security.RolesAllowed;
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

    /** The current secret. */
    public record CurrentSecret(String secret) {
    }

    /** The new secret, and until when the one it replaced still signs. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RotatedSecret(String secret, String previousSecretExpiresAt) {
    }

    private final JsonWebToken caller;
    private final SigningSecrets secrets;

    public SigningSecretResource(JsonWebToken caller, SigningSecrets secrets) {
        this.caller = caller;
        this.secrets = secrets;
    }

    @GET
    @RolesAllowed("user")
    public Envelope<CurrentSecret> secret() {
        return Envelope.of(new CurrentSecret(secrets.forUser(caller.getSubject()).secret));
    }

    /** A new secret at once; the old one also signs until {@code previous_secret_expires_at}. */
    @POST
    @Path("/rotate")
    @RolesAllowed("user")
    public Envelope<RotatedSecret> rotate() {
        SigningSecret rotated = secrets.rotate(caller.getSubject());
        return Envelope.of(new RotatedSecret(rotated.secret, rotated.previousExpiresAt.toString()));
    }
}
