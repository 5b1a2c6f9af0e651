package io.github.accounts.core.mail;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How mail names a device and a network: a browser and a system picked by a fixed list from the user agent (e.g.
 * "Firefox on Linux"), and an address only when it is an IP literal. Nothing a client sent reaches a mail as it
 * was sent: a user agent can hold any text ("Click http://evil.example"), and a mail from us would lend it our name.
 */
final class DeviceNames {
    static final String UNKNOWN_BROWSER = "an unknown browser";
    /** First match wins: Edge and Opera also say Chrome and Safari, Chrome says Safari. */
    private static final List<Map.Entry<String, String>> BROWSERS = List.of(Map.entry("Edg/", "Edge"),
            Map.entry("EdgA/", "Edge"), Map.entry("EdgiOS/", "Edge"), Map.entry("OPR/", "Opera"),
            Map.entry("SamsungBrowser/", "Samsung Internet"), Map.entry("FxiOS/", "Firefox"),
            Map.entry("Firefox/", "Firefox"), Map.entry("CriOS/", "Chrome"), Map.entry("Chrome/", "Chrome"),
            Map.entry("Safari/", "Safari"));
    /** First match wins: Android says Linux, iPhones and iPads say "like Mac OS X". */
    private static final List<Map.Entry<String, String>> SYSTEMS = List.of(Map.entry("Windows", "Windows"),
            Map.entry("Android", "Android"), Map.entry("iPhone", "iOS"), Map.entry("iPad", "iPadOS"),
            Map.entry("CrOS", "ChromeOS"), Map.entry("Mac OS X", "macOS"), Map.entry("Macintosh", "macOS"),
            Map.entry("Linux", "Linux"));
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private DeviceNames() {
    }

    /** "Firefox on Linux", "Safari", "an unknown browser on Windows", or {@value #UNKNOWN_BROWSER}. */
    static String device(String userAgent) {
        String browser = pick(BROWSERS, userAgent);
        String system = pick(SYSTEMS, userAgent);
        return (browser == null ? UNKNOWN_BROWSER : browser) + (system == null ? "" : " on " + system);
    }

    /** A device and where it was, e.g. "Firefox on Linux, address 198.51.100.7"; "unknown" when nothing is known. */
    static String deviceAndAddress(String userAgent, String ip) {
        String address = address(ip);
        if ((userAgent == null || userAgent.isBlank()) && address == null) {
            return "unknown";
        }
        String device = device(userAgent);
        return address == null ? device : device + ", address " + address;
    }

    /** {@code ip} when it is an IPv4 or IPv6 literal, else null (it is then not ours to repeat). */
    static String address(String ip) {
        if (ip == null) {
            return null;
        }
        return IPV4.matcher(ip).matches() || (ip.indexOf(':') >= 0 && IPV6.matcher(ip).matches()) ? ip : null;
    }

    private static String pick(List<Map.Entry<String, String>> names, String userAgent) {
        if (userAgent == null) {
            return null;
        }
        for (Map.Entry<String, String> e : names) {
            if (userAgent.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
