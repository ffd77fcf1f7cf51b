package dev.tollgate.callback.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import dev.tollgate.callback.config.CallbackConfig;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Turns a callback URL into a {@link CallbackTarget}: checks the scheme, resolves the host once, refuses it if
 * <em>any</em> of its addresses is not public (a name with one private address among public ones is an attack, not
 * bad luck), and pins the first address, so the connection cannot go anywhere the check did not see (DNS rebinding).
 */
@ApplicationScoped
public class CallbackTargets {

    private static final Logger LOG = Logger.getLogger(CallbackTargets.class);
    private static final String LOOPBACK = "127.0.0.1";

    /** The platform's resolver; a seam for tests of names that resolve to private addresses. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowLoopbackHttp;
    private final Resolver resolver;

    @Inject
    public CallbackTargets(CallbackConfig config) {
        this(config.egress().allowLoopbackHttp(), InetAddress::getAllByName);
    }

    public CallbackTargets(boolean allowLoopbackHttp, Resolver resolver) {
        this.allowLoopbackHttp = allowLoopbackHttp;
        this.resolver = resolver;
    }

    void announce(@Observes StartupEvent event) {
        if (allowLoopbackHttp) {
            LOG.warn("!!! tollgate.callbacks.egress.allow-loopback-http=true: callbacks may go to http://127.0.0.1 "
                    + "(development and tests only; never enable this in production) !!!");
        }
    }

    /**
     * @throws BlockedTarget the URL may never be called (not retried)
     * @throws UnknownHostException the name does not resolve now (retried: DNS may recover)
     */
    public CallbackTarget resolve(String url) throws BlockedTarget, UnknownHostException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BlockedTarget("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null) {
            throw new BlockedTarget("the URL needs a host and no user info");
        }
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowLoopbackHttp && LOOPBACK.equals(host) && (scheme.equals("http") || scheme.equals("https"))) {
            return target(uri, scheme, host, loopback());
        }
        if (!scheme.equals("https")) {
            throw new BlockedTarget("only https callback URLs are allowed");
        }
        IPAddress literal = new IPAddressString(host).getAddress();
        InetAddress[] addresses = literal != null ? new InetAddress[] { literal.toInetAddress() } : resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressPolicy.refusal(address);
            if (refusal.isPresent()) {
                throw new BlockedTarget(host + " resolves to " + address.getHostAddress() + ", a " + refusal.get()
                        + " address");
            }
        }
        return target(uri, scheme, host, addresses[0]);
    }

    private static CallbackTarget target(URI uri, String scheme, String host, InetAddress address) {
        boolean https = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        return new CallbackTarget(uri, https, host, port, address);
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(LOOPBACK, new byte[] { 127, 0, 0, 1 });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
