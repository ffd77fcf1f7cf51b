package dev.tollgate.gateway.embed;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A tool as its page (and a bundle's page) shows it: price and a form per action. Never endpoints or credentials. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProductPage(String productId, String name, String displayName, String description, long priceCredits,
        List<ActionForm> actions) {

    /** One action's form: the page builds its fields from {@code parameters_schema}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ActionForm(String name, String description, JsonNode parametersSchema) {
    }

    /** The page's title: the display name when the product has one. */
    String title() {
        return displayName == null ? name : displayName;
    }
}
