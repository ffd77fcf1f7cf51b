package dev.tollgate.catalog.budgets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tollgate.platform.web.RequestFields;

/** The body of creating a budget: whose it is and its name. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetRequest(String ownerUserId, String name) {

    public static BudgetRequest from(JsonNode body) {
        RequestFields f = RequestFields.ofBody(body);
        String owner = f.requiredString("owner_user_id", 128);
        String name = f.requiredString("name", 200);
        f.done();
        return new BudgetRequest(owner, name);
    }
}
