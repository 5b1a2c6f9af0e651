package io.github.accounts.core.webhook;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Where deliveries may go and how many go at once. {@link #strict()} (the default) takes {@code https:} URLs of public
 * addresses only; {@link #allowingPrivateNetworks()} also plain {@code http:} and loopback, private and link-local
 * addresses, for development and tests only (cloud metadata addresses stay refused). {@code senders} threads send
 * (1 to 64), so a slow receiver holds up only its own deliveries. {@code tls} makes the {@code https:} connections:
 * its trust managers decide whose certificates are trusted, while the certificate must always name the URL's host.
 * Immutable.
 */
public record WebhookPolicy(boolean allowPrivateNetworks, int senders, HostResolver resolver, SSLContext tls) {
    /** The default number of sender threads per instance. */
    public static final int DEFAULT_SENDERS = 4;

    public WebhookPolicy {
        Objects.requireNonNull(resolver, "null resolver");
        Objects.requireNonNull(tls, "null tls");
        if (senders < 1 || senders > 64) {
            throw new IllegalArgumentException("senders must be between 1 and 64, was " + senders);
        }
    }

    /** Public {@code https:} endpoints only, {@value #DEFAULT_SENDERS} senders, the system's resolver and trust. */
    public static WebhookPolicy strict() {
        return new WebhookPolicy(false, DEFAULT_SENDERS, HostResolver.SYSTEM, systemTls());
    }

    /** Plain {@code http:} and private addresses allowed too: development and testing only. */
    public static WebhookPolicy allowingPrivateNetworks() {
        return new WebhookPolicy(true, DEFAULT_SENDERS, HostResolver.SYSTEM, systemTls());
    }

    /** This policy with another resolver. */
    public WebhookPolicy withResolver(HostResolver value) {
        return new WebhookPolicy(allowPrivateNetworks, senders, value, tls);
    }

    /**
     * This policy with deliveries' TLS made by {@code value}, whose trust managers judge receivers' certificates
     * (a private CA's, say) instead of the JVM's default trust store; the host name check stays on.
     */
    public WebhookPolicy withTls(SSLContext value) {
        return new WebhookPolicy(allowPrivateNetworks, senders, resolver, value);
    }

    /** The JVM's default context: its trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    private static SSLContext systemTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has a default TLS context", e);
        }
    }
}
