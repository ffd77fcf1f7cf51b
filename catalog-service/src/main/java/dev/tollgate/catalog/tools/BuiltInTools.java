package dev.tollgate.catalog.tools;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** The built-in tools by key. */
@ApplicationScoped
public class BuiltInTools {

    private final Map<String, BuiltInTool> byKey;

    public BuiltInTools(Instance<BuiltInTool> tools) {
        this.byKey = tools.stream().collect(Collectors.toUnmodifiableMap(BuiltInTool::key, Function.identity()));
    }

    public Optional<BuiltInTool> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Set<String> keys() {
        return byKey.keySet();
    }
}
