package dev.tollgate.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.CodedError;
import dev.tollgate.platform.web.JsonBody;
import dev.tollgate.platform.web.RequestFields;
import io.smallrye.common.annotation.Blocking;
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

    /** The body: {@code {"api_key": "..."}}. */
    public record TokenRequest(String apiKey) {

        static TokenRequest from(JsonNode body) {
            RequestFields fields = RequestFields.ofBody(body);
            String apiKey = fields.requiredString("api_key", 200);
            fields.done();
            return new TokenRequest(apiKey);
        }
    }

    /** The answer, OAuth 2.0 style (no envelope, as the contract has it). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IssuedToken(String accessToken, String tokenType, long expiresIn) {
    }

    private final JsonBody json;
    private final AccessTokens tokens;

    public TokenResource(JsonBody json, AccessTokens tokens) {
        this.json = json;
        this.tokens = tokens;
    }

    @POST
    @Blocking
    public IssuedToken token(String body) {
        TokenRequest request = TokenRequest.from(json.parse(body));
        AccessTokens.Issued issued = tokens.issue(request.apiKey())
                .orElseThrow(() -> new CodedError(401, "invalid_api_key", "Invalid API key"));
        return new IssuedToken(issued.token(), "Bearer", issued.expiresInSeconds());
    }
}
