package io.github.accounts.web;

import spark.Request;

import javax.servlet.ServletRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, so a client cannot forge it.
 * <p>
 * Spark's embedded Jetty installs a {@code ForwardedRequestCustomizer}, so {@code getRemoteAddr()} already
 * believes any client's {@code X-Forwarded-For}; the peer is therefore read from the connection itself.
 * <p>
 * Every address is put in one canonical form before it is compared or keys a limit (ports and brackets stripped,
 * IPv6 compressed and lower-case as RFC 5952 writes it, IPv4-mapped IPv6 as IPv4): a proxy that forwards
 * {@code 1.2.3.4:5678} must not give each connection of one client a limit of its own. A forwarded hop that is no
 * IP address at all counts as the peer's.
 */
final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");
    /** Its first character keeps the JDK's parser from trying DNS. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private final Set<String> trustedProxies;

    ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(p -> {
            String canonical = canonical(p);
            return canonical != null ? canonical : p;
        }).collect(Collectors.toUnmodifiableSet());
    }

    String of(Request req) {
        return of(peer(req), req.headers("X-Forwarded-For"));
    }

    /** The client behind {@code peer}, given the {@code X-Forwarded-For} it sent (or null). */
    String of(String peer, String forwarded) {
        String canonicalPeer = canonical(peer);
        String from = canonicalPeer != null ? canonicalPeer : peer;
        if (!trustedProxies.contains(from) || forwarded == null) {
            return from;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            String address = canonical(hop);
            if (address == null) {
                return from; // a hop a trusted proxy wrote that is no address: no key of its own
            }
            if (!trustedProxies.contains(address)) {
                return address;
            }
        }
        return from;
    }

    /**
     * {@code text} as one IP address in canonical form, or null when it is none: IPv4 with or without a port,
     * IPv6 bare or in brackets with or without a port. Never a DNS lookup: only literals reach the parser.
     */
    static String canonical(String text) {
        if (text == null) {
            return null;
        }
        String literal = text.strip();
        var port = IPV4_PORT.matcher(literal);
        var bracketed = BRACKETED.matcher(literal);
        if (port.matches()) {
            if (Integer.parseInt(port.group(2)) > 65_535) {
                return null;
            }
            literal = port.group(1);
        } else if (bracketed.matches()) {
            if (bracketed.group(2) != null && Integer.parseInt(bracketed.group(2)) > 65_535
                    || !bracketed.group(1).contains(":")) {
                return null;
            }
            literal = bracketed.group(1);
        }
        if (IPV4.matcher(literal).matches()) {
            return ipv4(literal);
        }
        if (!literal.contains(":") || !IPV6.matcher(literal).matches()) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(literal); // a literal with ':': parsed, never looked up
            return address instanceof Inet4Address ? address.getHostAddress() : ipv6(address.getAddress());
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            out.append(out.length() == 0 ? "" : ".").append(value);
        }
        return out.toString();
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups (the first) as "::". */
    private static String ipv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** The address at the other end of the TCP connection, whatever the headers say. */
    static String peer(Request req) {
        ServletRequest raw = ServletRequests.beneathSpark(req);
        org.eclipse.jetty.server.Request jetty = org.eclipse.jetty.server.Request.getBaseRequest(raw);
        if (jetty != null && jetty.getHttpChannel() != null) {
            InetSocketAddress socket = jetty.getHttpChannel().getEndPoint().getRemoteAddress();
            if (socket != null && socket.getAddress() != null) {
                return socket.getAddress().getHostAddress();
            }
        }
        return raw.getRemoteAddr();
    }
}
