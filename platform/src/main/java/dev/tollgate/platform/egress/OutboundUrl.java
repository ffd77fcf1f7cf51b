package dev.tollgate.platform.egress;

import java.net.IDN;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * An outbound URL (a run's callback, a vendor tool's endpoint, a model API's base) parsed and normalised once, the
 * same way wherever one is taken or called: scheme and host in lower-case ASCII (schemes are case-insensitive, RFC
 * 3986; an internationalised name must be given in its punycode form, as {@code java.net.URI} takes no other), the
 * root's trailing dot dropped (so {@code localhost.} meets the
 * checks {@code localhost} meets), RFC 1035 lengths, a port in 1-65535, no user info. An address literal is taken in
 * one notation only, dotted-decimal IPv4 or bracketed IPv6: what a resolver would also read as IPv4
 * ({@code 0x7f000001}, {@code 0177.0.0.1}, {@code 2130706433}, {@code 127.1}) is refused, as no top-level domain is
 * numeric.
 *
 * @param literal the host's address when the host is an address literal, else null (a name, resolved when called)
 */
public record OutboundUrl(URI uri, String scheme, String host, int port, IPAddress literal) {

    private static final Pattern DOTTED_DECIMAL = Pattern
            .compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(^|\\.)(0x[0-9a-f]*|[0-9]+)$");
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    /** Parses {@code url} as an absolute http(s) URL, or says why it is not one. */
    public static OutboundUrl parse(String url) throws EgressRefused {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new EgressRefused("is not a valid URL");
        }
        if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new EgressRefused("must be an absolute URL without credentials");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new EgressRefused("must use https");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new EgressRefused("has a port outside 1-65535");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost();
        if (host.contains("%")) {
            // An IPv6 zone id (fe80::1%eth0, or %25x): an interface of this machine, never a public destination; a
            // zone naming no interface here even left the address unresolvable at call time.
            throw new EgressRefused("has an invalid address");
        }
        if (host.startsWith("[")) {
            IPAddress v6 = new IPAddressString(host.substring(1, host.length() - 1)).getAddress();
            if (v6 == null || !v6.isIPv6()) {
                throw new EgressRefused("has an invalid address");
            }
            return new OutboundUrl(uri, scheme, v6.withoutPrefixLength().toCanonicalString(), port,
                    v6.withoutPrefixLength());
        }
        String name = asciiName(host);
        if (DOTTED_DECIMAL.matcher(name).matches()) {
            return new OutboundUrl(uri, scheme, name, port, new IPAddressString(name).getAddress());
        }
        if (NUMERIC_LAST_LABEL.matcher(name).find()) {
            throw new EgressRefused("must give an IPv4 address in dotted decimal (four numbers 0-255)");
        }
        return new OutboundUrl(uri, scheme, name, port, null);
    }

    public boolean https() {
        return scheme.equals("https");
    }

    /** A name that only means something inside one network or machine, whatever a resolver makes of it. */
    public boolean localName() {
        return literal == null && (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".local")
                || host.endsWith(".internal") || host.endsWith(".home.arpa"));
    }

    /** The host in ASCII, lower case, without the root's dot, checked label by label (RFC 1035 lengths). */
    private static String asciiName(String host) throws EgressRefused {
        String ascii;
        try {
            ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new EgressRefused("has an invalid host name"); // a label over 63 characters, or not a name at all
        }
        String name = ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        if (name.isEmpty()) {
            throw new EgressRefused("has an invalid host name");
        }
        if (name.length() > 253) {
            throw new EgressRefused("has a host name longer than 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new EgressRefused("has an invalid host name");
            }
        }
        return name;
    }
}
