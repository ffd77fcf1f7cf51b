package dev.tollgate.workflow.workflows;

/**
 * One step of a workflow. {@code tool}: buy and invoke {@code productId}'s {@code action} with
 * {@code parametersTemplate} (JSON whose string values are Qute templates). {@code model}: call an
 * OpenAI-compatible chat completion at {@code baseUrl} with {@code model}, the key from budget credential
 * {@code apiKeyCredential}, and {@code template} as the user message. {@code template}: render {@code template}.
 * Templates see {@code prompt} and {@code steps.<id>} (earlier steps' outputs).
 */
public class WorkflowStep {
    public String id;
    public String type;
    public String productId;
    public String action;
    public String parametersTemplate;
    public String template;
    public String baseUrl;
    public String model;
    public String apiKeyCredential;
}
