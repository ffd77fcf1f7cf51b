package dev.tollgate.platform.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Where the platform may send a request that a user or an administrator chose the target of (a callback, a vendor
 * tool, a model step): https to ordinary public unicast addresses ({@link AddressPolicy}), checked twice. When the
 * URL is taken ({@link #check}), for what can be seen without DNS: scheme, local names, address literals; when it is
 * called ({@link #resolve}), on every address its host resolves to, so a public name pointed at a private address
 * later is refused then.
 *
 * <p>Two exceptions, both an operator's: the development switch lets {@code http(s)://127.0.0.1} through (tests,
 * the local platform), and an allow-list names private targets a deployment trusts (a vendor tool inside the
 * cluster, a model server on the office network): an entry is a host name, matched exactly, whatever it resolves
 * to, or an address or CIDR range that the resolved addresses (or a literal) must fall in. An allow-listed target
 * may use plain http. Callbacks have no allow-list: a run's owner chooses those.
 */
public final class EgressPolicy {

    private static final String LOOPBACK = "127.0.0.1";

    /** The platform's resolver; a seam for tests of names that resolve to private addresses. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowLoopbackHttp;
    private final Set<String> allowedNames = new HashSet<>();
    private final List<IPAddress> allowedRanges = new ArrayList<>();
    private final Resolver resolver;

    /**
     * @param allowList host names and address ranges (CIDR) the operator trusts; an entry that is neither is a
     *     configuration error, refused at start rather than ignored
     */
    public EgressPolicy(boolean allowLoopbackHttp, List<String> allowList, Resolver resolver) {
        this.allowLoopbackHttp = allowLoopbackHttp;
        this.resolver = resolver;
        for (String entry : allowList) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            // An address or range only in its usual notation ("1" would parse as 0.0.0.1); a range with host bits set
            // (10.20.1.0/16) is its whole block, not the one address.
            IPAddress range = e.matches("[0-9.]+(/[0-9]{1,2})?") && e.chars().filter(c -> c == '.').count() == 3
                    || e.contains(":") ? new IPAddressString(e).getAddress() : null;
            if (range != null) {
                allowedRanges.add(range.isPrefixed() ? range.toPrefixBlock() : range);
            } else if (e.matches("[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?") && !e.matches("[0-9.]+")) {
                allowedNames.add(e);
            } else {
                throw new IllegalArgumentException("not a host name, address or CIDR range: " + entry);
            }
        }
    }

    /** Public https only (and the loopback literal when the development switch is on): the rule for callbacks. */
    public static EgressPolicy publicOnly(boolean allowLoopbackHttp) {
        return new EgressPolicy(allowLoopbackHttp, List.of(), InetAddress::getAllByName);
    }

    /** Whether the policy lets plain http through to the loopback literal (to warn about it at start). */
    public boolean allowsLoopbackHttp() {
        return allowLoopbackHttp;
    }

    /** What can be judged without DNS, when a URL is taken: parsed, and refused unless it may be called. */
    public OutboundUrl check(String url) throws EgressRefused {
        OutboundUrl target = OutboundUrl.parse(url);
        if (loopbackAllowed(target) || allowedNames.contains(target.host())) {
            return target;
        }
        if (target.literal() != null && inAllowedRange(target.literal())) {
            return target;
        }
        if (!target.https()) {
            throw new EgressRefused("must use https");
        }
        if (target.localName()) {
            throw new EgressRefused("may not point at a local or internal host");
        }
        if (target.literal() != null) {
            Optional<String> refusal = AddressPolicy.refusal(target.literal());
            if (refusal.isPresent()) {
                throw new EgressRefused("may not point at a " + refusal.get() + " address");
            }
        }
        return target;
    }

    /**
     * When the URL is called: its addresses, every one of them checked (a name with one private address among
     * public ones is an attack, not bad luck). Connect to one of exactly these ({@link PinnedClient}, or
     * callback-service's poster): a client that resolves the name again could be sent elsewhere by a name whose owner
     * answers differently the second time.
     *
     * @throws UnknownHostException the name does not resolve now (retryable: DNS may recover)
     */
    public InetAddress[] resolve(OutboundUrl target) throws EgressRefused, UnknownHostException {
        if (loopbackAllowed(target)) {
            return new InetAddress[] { InetAddress.getByAddress(LOOPBACK, new byte[] { 127, 0, 0, 1 }) };
        }
        InetAddress literal = target.literal() == null ? null : target.literal().toInetAddress();
        if (target.literal() != null && literal == null) {
            throw new EgressRefused("has an invalid address");
        }
        InetAddress[] addresses = literal != null ? new InetAddress[] { literal } : resolver.resolve(target.host());
        if (addresses.length == 0) {
            throw new UnknownHostException(target.host());
        }
        if (allowedNames.contains(target.host())) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            IPAddress ip = new IPAddressString(address.getHostAddress()).getAddress();
            if (ip != null && inAllowedRange(ip.withoutPrefixLength())) {
                continue;
            }
            Optional<String> refusal = AddressPolicy.refusal(address);
            if (refusal.isPresent()) {
                throw new EgressRefused("resolves to " + address.getHostAddress() + ", a " + refusal.get()
                        + " address");
            }
        }
        return addresses;
    }

    /** {@link #check} then {@link #resolve}: for a URL stored before the rules it meets now were in force. */
    public InetAddress[] checkAndResolve(String url) throws EgressRefused, UnknownHostException {
        return resolve(check(url));
    }

    private boolean loopbackAllowed(OutboundUrl target) {
        return allowLoopbackHttp && LOOPBACK.equals(target.host());
    }

    private boolean inAllowedRange(IPAddress ip) {
        return allowedRanges.stream().anyMatch(range -> range.contains(ip));
    }
}
