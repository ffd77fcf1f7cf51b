package dev.tollgate.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Names the gateway's HTTP server metrics by operation template, not by the path a caller sent ({@link PathTemplates}). */
@Singleton
public class RouteTemplateTags {

    private final PathTemplates templates = PathTemplates.fromServedDocument();

    @Produces
    @Singleton
    public MeterFilter uriByTemplate() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                if (uri == null || !id.getName().startsWith("http.server")) {
                    return id;
                }
                String name = templates.nameOf(uri);
                return name.equals(uri) ? id : id.withTag(Tag.of("uri", name));
            }
        };
    }
}
