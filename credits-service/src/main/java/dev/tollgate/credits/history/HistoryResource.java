package dev.tollgate.credits.history;

import java.util.List;

import dev.tollgate.credits.config.CreditsConfig;
import dev.tollgate.credits.ledger.LedgerService;
import dev.tollgate.platform.web.MessageEnvelope;
import dev.tollgate.platform.web.RequestFields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's grants and transactions, newest first; {@code limit} caps each list. */
@Path("/credits/history")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    /** The answer's {@code data}. */
    public record CreditHistory(List<GrantView> grants, List<TransactionView> transactions) {
    }

    private final JsonWebToken caller;
    private final LedgerService ledger;
    private final CreditsConfig config;

    public HistoryResource(JsonWebToken caller, LedgerService ledger, CreditsConfig config) {
        this.caller = caller;
        this.ledger = ledger;
        this.config = config;
    }

    @GET
    @RolesAllowed("user")
    public MessageEnvelope<CreditHistory> history(@QueryParam("limit") String limit) {
        int n = RequestFields.queryInt("limit", limit, config.history().defaultLimit(), 1, config.history().maxLimit());
        String userId = caller.getSubject();
        LedgerService.History history = ledger.history(userId, n);
        return MessageEnvelope.of("Credit history retrieved", new CreditHistory(
                history.grants().stream().map(g -> GrantView.of(userId, g)).toList(),
                history.transactions().stream().map(TransactionView::of).toList()));
    }
}
