package dev.tollgate.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.binder.vertx.HttpRequestMetric;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Names the gateway's HTTP server metrics by operation template, not by the path a caller sent ({@link PathTemplates}).
 * The edge names each request as it arrives ({@link #name}): Quarkus then builds the meter's id with the template, so
 * no path a caller made up ever becomes an id (Micrometer keeps every distinct id it is asked for). The filter below
 * is the second line, for anything named elsewhere.
 */
@Singleton
public class RouteTemplateTags {

    private final PathTemplates templates = PathTemplates.fromServedDocument();

    /** Gives Quarkus's HTTP metrics the template of {@code rc}'s path (Quarkus REST replaces it with its own). */
    public void name(RoutingContext rc) {
        String name = templates.nameOfPath(rc.normalizedPath());
        HttpRequestMetric metric = HttpRequestMetric.getRequestMetric(rc);
        if (metric != null) {
            metric.setTemplatePath(name);
        }
        // Quarkus reads the template Quarkus REST leaves in the request's context first: a request that never reaches
        // Quarkus REST (proxied, or refused at the edge) must not be named by what an earlier one left there.
        if (rc.request() instanceof HttpServerRequestInternal request) {
            request.context().putLocal(URL_PATH_TEMPLATE, name);
        }
    }

    /** The context key of the template Quarkus REST sets and Quarkus's HTTP metrics read. */
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

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
                String name = templates.nameOfTag(uri);
                return name.equals(uri) ? id : id.withTag(Tag.of("uri", name));
            }
        };
    }
}
