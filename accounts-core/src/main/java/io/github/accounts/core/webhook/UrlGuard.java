package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The server-side request forgery check of webhook URLs, at registration and before each delivery: {@code https:}
 * (or {@code http:} where allowed), no user info, a host written as a name, a dotted-quad IPv4 address or a
 * bracketed IPv6 one (decimal, octal, hex and shortened IPv4 spellings are refused outright), and every address the
 * name resolves to public (IPv4 embedded in IPv6 judged as IPv4). The answer is the address to connect to: the
 * delivery never looks the name up again, so a second answer of the resolver (DNS rebinding) cannot move it.
 * Thread-safe.
 */
final class UrlGuard {
    static final int MAX_URL = 2048;
    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /** Labels the C resolver would read as a number: decimal, octal (leading 0) or hex ({@code 0x}). */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
    /** Cloud metadata services refused even where private networks are allowed. */
    private static final List<String> METADATA = List.of("169.254.169.254", "169.254.170.2", "168.63.129.16",
            "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    /** Where a checked URL's delivery connects: its address, with the name kept for TLS and the Host header. */
    record Target(URI uri, boolean https, String host, int port, InetAddress address) {
        String pathAndQuery() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }

        String hostHeader() {
            boolean defaultPort = port == (https ? 443 : 80);
            String h = host.contains(":") ? "[" + host + "]" : host;
            return defaultPort ? h : h + ":" + port;
        }
    }

    private final WebhookPolicy policy;

    UrlGuard(WebhookPolicy policy) {
        this.policy = policy;
    }

    /** The target of {@code url}, or {@code invalid_webhook_url} saying why not. */
    Target check(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !(scheme.equals("http") && policy.allowPrivateNetworks())) {
            throw refused(policy.allowPrivateNetworks() ? "A webhook URL must start with https: or http:."
                    : "A webhook URL must start with https:.");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("A webhook URL must not hold a user name or password.");
        }
        String host = hostOf(uri);
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        InetAddress address = resolveChecked(host);
        return new Target(uri, https, host, port, address);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw refused("A webhook URL is required.");
        }
        if (url.length() > MAX_URL) {
            throw refused("A webhook URL must be at most " + MAX_URL + " characters.");
        }
        try {
            URI uri = new URI(url.strip());
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
                throw refused("A webhook URL must be absolute, with a host.");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw refused("A webhook URL must be a well-formed URL.");
        }
    }

    /** The host without brackets, lower case; numeric IPv4 spellings other than the dotted quad are refused. */
    private static String hostOf(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.substring(1, host.length() - 1);
        }
        String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        boolean numeric = !bare.isEmpty();
        for (String label : bare.split("\\.", -1)) {
            numeric &= NUMERIC_LABEL.matcher(label).matches();
        }
        if (numeric && !CANONICAL_IPV4.matcher(host).matches()) {
            throw refused("A webhook URL's IPv4 address must be written as four decimal numbers (a.b.c.d).");
        }
        return host;
    }

    private InetAddress resolveChecked(String host) {
        List<InetAddress> addresses;
        try {
            boolean literal = host.contains(":") || CANONICAL_IPV4.matcher(host).matches();
            addresses = literal ? List.of(InetAddress.getByName(host)) : policy.resolver().resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            throw refused("The webhook URL's host does not resolve.");
        }
        if (addresses == null || addresses.isEmpty()) {
            throw refused("The webhook URL's host does not resolve.");
        }
        for (InetAddress a : addresses) {
            if (isMetadata(a) || !policy.allowPrivateNetworks() && !isPublic(a)) {
                throw refused("The webhook URL resolves to a loopback, private, link-local or metadata address.");
            }
        }
        return addresses.get(0);
    }

    private static boolean isMetadata(InetAddress a) {
        InetAddress v4 = embeddedIpv4(a);
        return METADATA.contains((v4 != null ? v4 : a).getHostAddress());
    }

    /** Whether {@code a} is a public unicast address (globally routable, not reserved for documentation). */
    static boolean isPublic(InetAddress a) {
        InetAddress v4 = embeddedIpv4(a);
        if (v4 != null) {
            return isPublicIpv4(v4.getAddress());
        }
        if (a instanceof Inet4Address) {
            return isPublicIpv4(a.getAddress());
        }
        byte[] b = a.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return !(a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()
                || (first & 0xfe) == 0xfc // fc00::/7 unique local
                || first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8 // 2001:db8::/32
                || first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0 // 2001::/32 Teredo
                || first == 0x01 && second == 0 && b[2] == 0 && b[3] == 0 && allZero(b, 4, 8) // 100::/64 discard
                || first == 0); // ::/8 reserved (IPv4-compatible, unspecified, loopback)
    }

    /** The IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6. */
    private static InetAddress embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return null;
        }
        byte[] b = a.getAddress();
        int at = -1;
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || allZero(b, 0, 12)
                && !allZero(b, 12, 16)) {
            at = 12;
        } else if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12)) {
            at = 12;
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            at = 2;
        }
        if (at < 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Four bytes are always an IPv4 address", e);
        }
    }

    private static boolean isPublicIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        return !(a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224 // this network, private, loopback, multicast, reserved
                || a0 == 100 && a1 >= 64 && a1 <= 127 // 100.64.0.0/10 carrier-grade NAT
                || a0 == 169 && a1 == 254 // link-local, cloud metadata
                || a0 == 172 && a1 >= 16 && a1 <= 31
                || a0 == 192 && a1 == 168
                || a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2) // IETF protocol assignments, TEST-NET-1
                || a0 == 198 && (a1 == 18 || a1 == 19) // benchmarking
                || a0 == 198 && a1 == 51 && a2 == 100 || a0 == 203 && a1 == 0 && a2 == 113); // TEST-NET-2, -3
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static AccountsException refused(String message) {
        return AccountsException.of(ErrorCode.INVALID_WEBHOOK_URL, message);
    }
}
