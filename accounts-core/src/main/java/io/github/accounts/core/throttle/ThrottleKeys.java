package io.github.accounts.core.throttle;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The keys throttle rows are stored under: an HMAC-SHA256 of an email or a client network under the host's
 * secret, so a leaked table cannot be reversed by hashing a dictionary of emails or the address space. A client
 * address counts by network: IPv4 by the address, IPv6 by its /64 (what one subscriber is usually given), an
 * IPv4-mapped IPv6 address as the IPv4 address. Thread-safe.
 */
public final class ThrottleKeys {
    /** The shortest secret accepted: 256 bits, the HMAC-SHA256 output size. */
    public static final int MIN_SECRET_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int IPV6_PREFIX_BYTES = 8;

    private final SecretKeySpec secret;

    /** Keys under {@code secret}, at least {@value #MIN_SECRET_BYTES} bytes; the array is copied. */
    public ThrottleKeys(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The throttle secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, was " + (secret == null ? "null" : secret.length + " bytes"));
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The key of a normalised email, for {@code kind} ("sign-in", "reset", ...). */
    public String account(String kind, String normalisedEmail) {
        return kind + ":account:" + mac(normalisedEmail.getBytes(StandardCharsets.UTF_8));
    }

    /** The key of a client address's network, or null when the address is unknown or not an IP literal. */
    public String address(String kind, String ip) {
        byte[] network = network(ip);
        return network == null ? null : kind + ":address:" + mac(network);
    }

    private String mac(byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return BASE64URL.encodeToString(mac.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }

    /** The bytes an address counts under: 4 for IPv4 (mapped IPv6 included), the first 8 of IPv6; null if none. */
    static byte[] network(String ip) {
        InetAddress address = parseLiteral(ip);
        if (address instanceof Inet4Address) {
            return address.getAddress();
        }
        if (address instanceof Inet6Address) {
            return Arrays.copyOf(address.getAddress(), IPV6_PREFIX_BYTES); // 8 bytes: never equal to an IPv4's 4
        }
        return null;
    }

    /** An IP literal parsed without any name lookup; null for anything else. */
    private static InetAddress parseLiteral(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 64) {
            return null;
        }
        String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        boolean v6 = literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.]+");
        if (!v6 && !isDottedQuad(literal)) {
            return null; // getByName would resolve a host name
        }
        try {
            return InetAddress.getByName(literal); // mapped ::ffff:a.b.c.d comes back as an Inet4Address
        } catch (UnknownHostException malformed) {
            return null;
        }
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
