package dev.tollgate.workflow.worker;

import java.util.List;

/**
 * What a model step sends to {@code <base_url>/chat/completions} of an OpenAI-compatible API: the step's model and
 * one user message, its rendered template.
 */
public record ChatCompletionRequest(String model, List<Message> messages) {

    public record Message(String role, String content) {
    }

    static ChatCompletionRequest userMessage(String model, String content) {
        return new ChatCompletionRequest(model, List.of(new Message("user", content)));
    }
}
