package dev.tollgate.workflow.contracts;

/** Names and examples workflow-service's pacts share: participants, provider states, example ids. */
final class WorkflowContracts {

    static final String WORKFLOW = "workflow-service";
    static final String CATALOG = "catalog-service";
    /** workflow-service in its worker role, which consumes what the api role publishes. */
    static final String WORKER = "workflow-worker";

    static final String WORKFLOW_ON_BUDGET = "a budget with the workflow and the credential openai_key";
    static final String WORKFLOW_NOT_ON_BUDGET = "a budget without the workflow or any credential";
    static final String ACTIVE_PRODUCT = "an active product with an action";
    static final String CREDENTIAL = "a budget with the credential openai_key";
    static final String NO_CREDENTIAL = "a budget without any credential";
    static final String BUYER_WITH_CREDITS = "a user with credits and a budget that enables a product";
    static final String BUYER_WITHOUT_CREDITS = "a user without credits and a budget that enables a product";
    static final String PRODUCT_NOT_ON_BUDGET = "a user with credits and a budget that does not enable a product";

    static final String EXAMPLE_BUDGET_ID = "65f0000000000000000000b1";
    static final String EXAMPLE_WORKFLOW_ID = "65f0000000000000000000f1";
    static final String EXAMPLE_PRODUCT_ID = "65f0000000000000000000d1";
    static final String EXAMPLE_USER_ID = "pact-user";

    private WorkflowContracts() {
    }
}
