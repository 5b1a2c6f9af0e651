package io.github.accounts.core.mail;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.internal.Transactions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a sign-in comes from a device the user has used lately: one of their last {@value #RECENT} sign-ups and
 * sign-ins, within 90 days, from the same user-agent family (browser and operating system, versions ignored) on the
 * same network (the /24 of an IPv4 address, the /64 of an IPv6 one). The bound keeps a sign-in's check one short
 * index range however often an account signs in (an API client signing in every minute would otherwise make each
 * check read three months of its events); a device left unused for that many sign-ins is told as new once more.
 * Thread-safe.
 */
final class KnownDevices {
    static final Duration REMEMBERED = Duration.ofDays(90);
    static final int RECENT = 200;
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final List<String> BROWSERS = List.of("Edg", "OPR", "Firefox", "Chrome", "Safari");
    private static final List<String> SYSTEMS = List.of("Windows", "Android", "iPhone", "iPad", "Mac OS X", "CrOS",
            "Linux");

    /**
     * The distinct devices of the last {@link #RECENT} sign-ups and sign-ins, not each sign-in: an account signing in
     * often has few. Ordered by {@code user_id, id desc}, the index's order: H2 reads only those rows then, where
     * {@code order by id desc} alone made it read and sort every event of the account (measured: 200,000 rows for a
     * busy account, on each sign-in); PostgreSQL walks the index either way.
     */
    static final String RECENT_DEVICES = """
            select distinct ip, user_agent from (
                select ip, user_agent from account_events
                where user_id = ? and id < ? and type in (?, ?) and occurred_at >= ?
                order by user_id, id desc fetch first %d rows only) recent""".formatted(RECENT);

    private final Transactions tx;

    KnownDevices(Transactions tx) {
        this.tx = tx;
    }

    /** Whether the user signed up or in from the device of {@code signIn} within 90 days before it. */
    boolean seenBefore(AccountEvent signIn) {
        String family = family(signIn.userAgent());
        String network = network(signIn.ip());
        List<?> earlier = tx.read(em -> em.createNativeQuery(RECENT_DEVICES)
                .setParameter(1, signIn.userId()).setParameter(2, signIn.id())
                .setParameter(3, AccountEvent.USER_SIGNED_UP).setParameter(4, AccountEvent.SIGNED_IN)
                .setParameter(5, OffsetDateTime.ofInstant(signIn.at().minus(REMEMBERED), ZoneOffset.UTC))
                .getResultList());
        return earlier.stream().map(row -> (Object[]) row).anyMatch(row ->
                network.equals(network((String) row[0])) && family.equals(family((String) row[1])));
    }

    /** The browser and operating system a user agent names, e.g. {@code Firefox/Linux}; else it without digits. */
    static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "";
        }
        String browser = BROWSERS.stream().filter(b -> userAgent.contains(b + "/")).findFirst().orElse(null);
        String system = SYSTEMS.stream().filter(userAgent::contains).findFirst().orElse(null);
        if (browser == null && system == null) {
            return DIGITS.matcher(userAgent).replaceAll("").toLowerCase(Locale.ROOT);
        }
        return browser + "/" + system;
    }

    /** The /24 of an IPv4 address or the /64 of an IPv6 one, as text; anything else as it is. */
    static String network(String ip) {
        if (ip == null || ip.isBlank()) {
            return "";
        }
        boolean literal = (ip.contains(":") ? IPV6_LITERAL : IPV4_LITERAL).matcher(ip).matches();
        if (!literal) {
            return ip; // not an address literal: never looked up as a host name
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            return Arrays.toString(Arrays.copyOf(address, address.length == 4 ? 3 : 8));
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
