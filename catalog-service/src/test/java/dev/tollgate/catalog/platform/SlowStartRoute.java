package dev.tollgate.catalog.platform;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test only: a request carrying {@code X-Test-Slow-Start: <ms>} is held that long after its admission and before
 * Quarkus REST takes it, without holding a thread, as a fresh process's first requests are while its code loads and
 * compiles (QueueTimeLimitTest).
 */
@ApplicationScoped
public class SlowStartRoute {

    static final String HEADER = "X-Test-Slow-Start";

    void install(@Observes Router router, Vertx vertx) {
        // After platform's ServiceAdmission (MIN_VALUE + 1001), before Quarkus REST.
        router.route().order(Integer.MIN_VALUE + 1002).handler(rc -> {
            String millis = rc.request().getHeader(HEADER);
            if (millis == null) {
                rc.next();
                return;
            }
            vertx.setTimer(Long.parseLong(millis), id -> rc.next());
        });
    }
}
