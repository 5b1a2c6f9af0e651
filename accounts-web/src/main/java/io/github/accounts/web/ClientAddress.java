package io.github.accounts.web;

import spark.Request;

import javax.servlet.ServletRequest;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, so a client cannot forge it.
 * <p>
 * Spark's embedded Jetty installs a {@code ForwardedRequestCustomizer}, so {@code getRemoteAddr()} already
 * believes any client's {@code X-Forwarded-For}; the peer is therefore read from the connection itself.
 */
final class ClientAddress {
    private final Set<String> trustedProxies;

    ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    String of(Request req) {
        String peer = peer(req);
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        String forwarded = req.headers("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
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
