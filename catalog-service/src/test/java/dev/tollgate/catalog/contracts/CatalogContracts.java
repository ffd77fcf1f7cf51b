package dev.tollgate.catalog.contracts;

/** Names catalog-service's pacts share: participants and provider states. */
final class CatalogContracts {

    static final String CATALOG = "catalog-service";
    static final String CREDITS = "credits-service";

    static final String USER_WITH_CREDITS = "a user with 1000 credits";
    static final String USER_WITHOUT_CREDITS = "a user without credits";
    static final String HELD = "a user with a hold of 5 credits";
    static final String RELEASED = "a user whose hold of 5 credits was released";

    private CatalogContracts() {
    }
}
