package dev.tollgate.credits.balance;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.credits.grants.GrantRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/credits/balance")
@Produces(MediaType.APPLICATION_JSON)
public class BalanceResource {

    @Inject
    JsonWebToken caller;

    @Inject
    GrantRepository grants;

    @Inject
    Clock clock;

    @GET
    @RolesAllowed("user")
    public Map<String, Object> balance() {
        Balance b = Balance.of(grants.withRemainingCredit(caller.getSubject()), clock.instant());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("balance", b.credits());
        data.put("expiration", b.nextExpiration() == null ? null : b.nextExpiration().toString());
        data.put("expires_in_days", b.expiresInDays());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Balance retrieved");
        body.put("data", data);
        return body;
    }
}
