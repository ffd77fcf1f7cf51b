package dev.tollgate.callback.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import dev.tollgate.callback.config.CallbackConfig;
import dev.tollgate.platform.egress.EgressPolicy;
import dev.tollgate.platform.egress.EgressRefused;
import dev.tollgate.platform.egress.OutboundUrl;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Turns a callback URL into a {@link CallbackTarget} by the platform's egress rules ({@link EgressPolicy}, the same
 * the trigger checked): resolves the host once, refuses it if <em>any</em> of its addresses is not public (a name
 * with one private address among public ones is an attack, not bad luck), and pins the first address, so the
 * connection cannot go anywhere the check did not see (DNS rebinding).
 */
@ApplicationScoped
public class CallbackTargets {

    private static final Logger LOG = Logger.getLogger(CallbackTargets.class);

    private final EgressPolicy policy;

    @Inject
    public CallbackTargets(CallbackConfig config) {
        this(config.egress().allowLoopbackHttp(), InetAddress::getAllByName);
    }

    public CallbackTargets(boolean allowLoopbackHttp, EgressPolicy.Resolver resolver) {
        // Callbacks have no allow-list: a run's owner chooses where they go.
        this.policy = new EgressPolicy(allowLoopbackHttp, List.of(), resolver);
    }

    void announce(@Observes StartupEvent event) {
        if (policy.allowsLoopbackHttp()) {
            LOG.warn("!!! tollgate.callbacks.egress.allow-loopback-http=true: callbacks may go to http://127.0.0.1 "
                    + "(development and tests only; never enable this in production) !!!");
        }
    }

    /**
     * @throws BlockedTarget the URL may never be called (not retried)
     * @throws UnknownHostException the name does not resolve now (retried: DNS may recover)
     */
    public CallbackTarget resolve(String url) throws BlockedTarget, UnknownHostException {
        OutboundUrl target;
        InetAddress[] addresses;
        try {
            target = policy.check(url);
            addresses = policy.resolve(target);
        } catch (EgressRefused refused) {
            throw new BlockedTarget("the callback URL " + refused.reason());
        }
        return new CallbackTarget(target.uri(), target.https(), target.host(), target.port(), addresses[0]);
    }
}
