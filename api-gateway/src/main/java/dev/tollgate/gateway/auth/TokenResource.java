package dev.tollgate.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /auth/token}: an API key in, a short-lived access token out. The only endpoint that accepts an API key;
 * everything else takes the token.
 */
@Path("/auth/token")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Inject
    JsonBody json;

    @Inject
    AccessTokens tokens;

    @POST
    @Blocking
    public Map<String, Object> token(String body) {
        RequestFields fields = RequestFields.ofBody(json.parse(body));
        String apiKey = fields.requiredString("api_key", 200);
        fields.done();
        AccessTokens.Issued issued = tokens.issue(apiKey)
                .orElseThrow(() -> new CodedError(401, "invalid_api_key", "Invalid API key"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", issued.token());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", issued.expiresInSeconds());
        return answer;
    }
}
