package dev.tollgate.catalog.tools;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The built-in tools by key. */
@ApplicationScoped
public class BuiltInTools {

    private final Map<String, BuiltInTool> byKey;

    @Inject
    public BuiltInTools(Instance<BuiltInTool> tools) {
        this.byKey = tools.stream().collect(Collectors.toUnmodifiableMap(BuiltInTool::key, Function.identity()));
    }

    public Optional<BuiltInTool> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public java.util.Set<String> keys() {
        return byKey.keySet();
    }
}
