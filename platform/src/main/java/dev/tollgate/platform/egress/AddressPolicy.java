package dev.tollgate.platform.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;

/**
 * Which addresses the platform's outbound calls (callbacks, vendor tools, model steps) may never reach: anything
 * that is not an ordinary public unicast address. {@link EgressPolicy} checks it on an address literal when a URL is
 * taken and on every address a host resolves to when it is called.
 *
 * <p>IPv6 forms that carry an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible, NAT64
 * {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by the IPv4 address inside, so {@code ::ffff:127.0.0.1}
 * is loopback.
 */
public final class AddressPolicy {

    /** Cloud instance-metadata endpoints (AWS, GCP, Azure, Alibaba, Oracle), named apart from their ranges. */
    private static final List<IPAddress> METADATA = parse("169.254.169.254", "169.254.170.2", "fd00:ec2::254",
            "100.100.100.200", "192.0.0.192");

    /** The first class an address falls into names the refusal. */
    private static final Map<String, List<IPAddress>> BLOCKED = new LinkedHashMap<>();

    static {
        BLOCKED.put("unspecified", parse("0.0.0.0/8", "::/128"));
        BLOCKED.put("loopback", parse("127.0.0.0/8", "::1/128"));
        BLOCKED.put("private", parse("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"));
        BLOCKED.put("link-local", parse("169.254.0.0/16", "fe80::/10"));
        BLOCKED.put("unique-local", parse("fc00::/7", "fec0::/10"));
        BLOCKED.put("multicast", parse("224.0.0.0/4", "ff00::/8"));
        BLOCKED.put("reserved", parse("240.0.0.0/4", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
                "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "100::/64",
                // IPv4-translated (SIIT), local-use NAT64 (RFC 8215) and Teredo: forms that reach IPv4 hosts through
                // a translator or tunnel, whose embedded address is not checked here
                "::ffff:0:0:0/96", "64:ff9b:1::/48", "2001::/32"));
    }

    private AddressPolicy() {
    }

    /** Why {@code address} may not be called back, or empty when it is a public unicast address. */
    public static Optional<String> refusal(InetAddress address) {
        IPAddress ip = new IPAddressString(address.getHostAddress()).getAddress();
        if (ip == null) {
            return Optional.of("unparseable");
        }
        return refusal(ip.withoutPrefixLength());
    }

    /** Why {@code ip} (an address, not a range) may not be called, or empty when it is a public unicast address. */
    public static Optional<String> refusal(IPAddress ip) {
        if (METADATA.stream().anyMatch(m -> m.contains(ip))) {
            return Optional.of("cloud metadata");
        }
        if (ip.isIPv6()) {
            IPv6Address v6 = ip.toIPv6();
            IPAddress embedded = embeddedIPv4(v6);
            if (embedded != null) {
                return refusal(embedded).map(r -> r + " (IPv4 " + embedded + " inside " + ip + ")");
            }
        }
        return BLOCKED.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(range -> range.contains(ip)))
                .map(Map.Entry::getKey).findFirst();
    }

    private static final IPAddress NAT64 = parse("64:ff9b::/96").getFirst();

    private static IPAddress embeddedIPv4(IPv6Address v6) {
        if (v6.isIPv4Mapped() || (v6.isIPv4Compatible() && !v6.isLoopback() && !v6.isUnspecified())
                || NAT64.contains(v6)) {
            return v6.getEmbeddedIPv4Address();
        }
        if (v6.is6To4()) {
            return v6.get6To4IPv4Address();
        }
        return null;
    }

    private static List<IPAddress> parse(String... ranges) {
        return Arrays.stream(ranges).map(r -> new IPAddressString(r).getAddress()).toList();
    }
}
