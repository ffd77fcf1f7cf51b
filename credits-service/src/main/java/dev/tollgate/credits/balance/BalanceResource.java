package dev.tollgate.credits.balance;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.credits.ledger.LedgerService;
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
    LedgerService ledger;

    @GET
    @RolesAllowed("user")
    public Map<String, Object> balance() {
        Balance b = Balance.of(ledger.snapshot(caller.getSubject()).account(), ledger.now());
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
