package io.github.accounts.core.webhook;

import io.github.accounts.core.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request-forgery check, table-driven: every spelling of a loopback, private, link-local, carrier-grade NAT,
 * unique-local or metadata address is refused, as are names resolving to one, names that do not resolve, user info
 * and plain http; public https passes. Names resolve through a table here, never through DNS, and a name not in
 * it resolves to a public address, so numeric spellings the C resolver would read as loopback must be refused for how
 * they are written.
 */
class UrlGuardTest {
    private static final Map<String, List<String>> NAMES = Map.of(
            "public.example", List.of("93.184.216.34"),
            "internal.example", List.of("10.1.2.3"),
            "mixed.example", List.of("93.184.216.34", "192.168.0.10"),
            "loopback6.example", List.of("::1"),
            "localhost", List.of("127.0.0.1"));
    private static final HostResolver TABLE = host -> {
        if (host.startsWith("no-such-host")) {
            throw new UnknownHostException(host);
        }
        // Like a wildcard DNS zone, any other name is public: odd spellings must be refused for their spelling.
        return NAMES.getOrDefault(host, List.of("93.184.216.34")).stream().map(UrlGuardTest::address).toList();
    };
    private static final UrlGuard STRICT = new UrlGuard(WebhookPolicy.strict().withResolver(TABLE));
    private static final UrlGuard DEVELOPMENT = new UrlGuard(WebhookPolicy.allowingPrivateNetworks()
            .withResolver(TABLE));

    @ParameterizedTest
    @ValueSource(strings = {
            "http://public.example/hook", // plain http
            "ftp://public.example/hook",
            "https://user:pw@public.example/hook", // user info
            "https://no-such-host.example/hook", // does not resolve
            "https://internal.example/hook", // a name resolving to a private address
            "https://mixed.example/hook", // one of its addresses private
            "https://localhost/hook",
            "https://loopback6.example/hook",
            "https://127.0.0.1/hook", "https://127.8.9.10/", // loopback
            "https://2130706433/", // decimal 127.0.0.1
            "https://0x7f000001/", "https://0x7F.0.0.1/", // hex
            "https://0177.0.0.1/", "https://017700000001/", // octal
            "https://127.1/", "https://127.0.1/", // shortened
            "https://0/", "https://0.0.0.0/", // this host
            "https://10.0.0.1/", "https://172.16.0.1/", "https://172.31.255.255/", "https://192.168.1.1/", // private
            "https://100.64.0.1/", "https://100.127.255.254/", // carrier-grade NAT
            "https://169.254.169.254/latest/meta-data/", "https://169.254.0.1/", // link-local, metadata
            "https://168.63.129.16/", "https://100.100.100.200/", // Azure and Alibaba metadata
            "https://192.0.0.1/", "https://192.0.2.1/", "https://198.18.0.1/", "https://203.0.113.5/", // reserved
            "https://224.0.0.1/", "https://255.255.255.255/", // multicast, broadcast
            "https://[::1]/", "https://[::]/", // IPv6 loopback, unspecified
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/", "https://[::ffff:10.0.0.1]/", // IPv4-mapped
            "https://[::ffff:169.254.169.254]/", "https://[::127.0.0.1]/", // mapped metadata, IPv4-compatible
            "https://[64:ff9b::a9fe:a9fe]/", "https://[2002:7f00:1::]/", // NAT64 and 6to4 around private IPv4
            "https://[fe80::1]/", "https://[fc00::1]/", "https://[fd00:ec2::254]/", // link-local, unique local
            "https://[ff02::1]/", "https://[2001:db8::1]/", // multicast, documentation
            "not a url", "https:///nohost", "/relative/hook"})
    void refusedWhenStrict(String url) {
        failsWith(ErrorCode.INVALID_WEBHOOK_URL, () -> STRICT.check(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://public.example/hook?x=1", "https://93.184.216.34:8443/",
            "https://[2606:2800:220:1:248:1893:25c8:1946]/hook"})
    void acceptedWhenStrict(String url) {
        UrlGuard.Target target = STRICT.check(url);
        assertThat(UrlGuard.isPublic(target.address())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "https://10.0.0.1/",
            "http://[::1]:9000/"})
    void privateAddressesAndPlainHttpPassWhereTheHostAllowsThem(String url) {
        assertThat(DEVELOPMENT.check(url).address()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/", "http://[::ffff:169.254.169.254]/", "http://168.63.129.16/",
            "http://[fd00:ec2::254]/", "http://2130706433/", "ftp://127.0.0.1/"})
    void metadataAndOddSpellingsStayRefusedEvenThen(String url) {
        failsWith(ErrorCode.INVALID_WEBHOOK_URL, () -> DEVELOPMENT.check(url));
    }

    @org.junit.jupiter.api.Test
    void theTargetIsTheCheckedAddressWithTheNameKeptForTlsAndHost() {
        UrlGuard.Target target = STRICT.check("https://Public.Example:8443/a/b?c=d");

        assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(target.host()).isEqualTo("public.example");
        assertThat(target.hostHeader()).isEqualTo("public.example:8443");
        assertThat(target.pathAndQuery()).isEqualTo("/a/b?c=d");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
