package dev.tollgate.credits.balance;

import dev.tollgate.credits.ledger.LedgerService;
import dev.tollgate.platform.web.MessageEnvelope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/credits/balance")
@Produces(MediaType.APPLICATION_JSON)
public class BalanceResource {

    private final JsonWebToken caller;
    private final LedgerService ledger;

    public BalanceResource(JsonWebToken caller, LedgerService ledger) {
        this.caller = caller;
        this.ledger = ledger;
    }

    @GET
    @RolesAllowed("user")
    public MessageEnvelope<BalanceView> balance() {
        Balance b = Balance.of(ledger.snapshot(caller.getSubject()).account(), ledger.now());
        return MessageEnvelope.of("Balance retrieved", BalanceView.of(b));
    }
}
