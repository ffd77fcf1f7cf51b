package dev.tollgate.credits.history;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.credits.config.CreditsConfig;
import dev.tollgate.platform.web.RequestFields;
import dev.tollgate.credits.ledger.LedgerService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

    @Inject
    JsonWebToken caller;

    @Inject
    LedgerService ledger;

    @Inject
    CreditsConfig config;

    @GET
    @RolesAllowed("user")
    public Map<String, Object> history(@QueryParam("limit") String limit) {
        int n = RequestFields.queryInt("limit", limit, config.history().defaultLimit(), 1, config.history().maxLimit());
        String userId = caller.getSubject();
        LedgerService.History history = ledger.history(userId, n);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("grants", history.grants().stream().map(g -> LedgerViews.grant(userId, g)).toList());
        data.put("transactions", history.transactions().stream().map(LedgerViews::transaction).toList());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Credit history retrieved");
        body.put("data", data);
        return body;
    }
}
