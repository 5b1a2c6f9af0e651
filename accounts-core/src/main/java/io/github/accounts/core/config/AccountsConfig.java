package io.github.accounts.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of accounts, grouped by concern; immutable. Start from a named profile and change what you
 * must with the {@code with...} methods; {@link #deviationsFrom} lists what differs from the profile, for a
 * start-up log line.
 *
 * @param profile the name of the profile this config started from
 */
public record AccountsConfig(String profile, SessionLifetimes sessions, PasswordPolicy passwords,
                             HashingParams hashing, ThrottleLimits throttling, TokenLifetimes tokens,
                             SecondFactorPolicy secondFactor, ReauthenticationWindows reauthentication) {
    public AccountsConfig {
        Objects.requireNonNull(profile, "null profile");
        Objects.requireNonNull(sessions, "null sessions");
        Objects.requireNonNull(passwords, "null passwords");
        Objects.requireNonNull(hashing, "null hashing");
        Objects.requireNonNull(throttling, "null throttling");
        Objects.requireNonNull(tokens, "null tokens");
        Objects.requireNonNull(secondFactor, "null secondFactor");
        Objects.requireNonNull(reauthentication, "null reauthentication");
    }

    /** A config with the contract's re-authentication windows ({@link ReauthenticationWindows#defaults()}). */
    public AccountsConfig(String profile, SessionLifetimes sessions, PasswordPolicy passwords, HashingParams hashing,
                          ThrottleLimits throttling, TokenLifetimes tokens, SecondFactorPolicy secondFactor) {
        this(profile, sessions, passwords, hashing, throttling, tokens, secondFactor,
                ReauthenticationWindows.defaults());
    }

    /** A config where the second factor is optional. */
    public AccountsConfig(String profile, SessionLifetimes sessions, PasswordPolicy passwords, HashingParams hashing,
                          ThrottleLimits throttling, TokenLifetimes tokens) {
        this(profile, sessions, passwords, hashing, throttling, tokens, SecondFactorPolicy.optional());
    }

    /**
     * The original design's lifetimes (7-day session token, update token idle 7 days, 30 days at most) with
     * NIST SP 800-63B rev. 4 passwords (15 code points minimum) and OWASP's Argon2id parameters; a second factor
     * (TOTP) is each user's choice. The default.
     */
    public static AccountsConfig originalDesign() {
        return new AccountsConfig("original-design",
                new SessionLifetimes(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(30),
                        Duration.ofSeconds(30), Duration.ofMinutes(1)),
                new PasswordPolicy(15, PasswordPolicy.MAX_LENGTH_CEILING, 30),
                HashingParams.owaspDefaults(),
                new ThrottleLimits(5, 100, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)),
                new TokenLifetimes(Duration.ofMinutes(30), Duration.ofHours(24)));
    }

    /**
     * OWASP ASVS 5.0 level 2 session limits: 30 minutes idle, 12 hours absolute; the session token lives as long
     * as the idle limit, so an idle client must refresh. A second factor is required (V6.3.3): a session of a user
     * without confirmed TOTP works on the accounts routes only, to enrol, and host routes behind the guard refuse it
     * with 403 {@code forbidden} (see {@link SecondFactorPolicy}); building it needs TOTP keys.
     */
    public static AccountsConfig asvsLevel2() {
        AccountsConfig base = originalDesign();
        return new AccountsConfig("asvs-level-2",
                new SessionLifetimes(Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofHours(12),
                        Duration.ofSeconds(30), Duration.ofMinutes(1)),
                base.passwords, base.hashing, base.throttling, base.tokens, new SecondFactorPolicy(true));
    }

    /** The named profile: {@code original-design} or {@code asvs-level-2}. */
    public static AccountsConfig profile(String name) {
        return switch (Objects.requireNonNull(name, "null name")) {
            case "original-design" -> originalDesign();
            case "asvs-level-2" -> asvsLevel2();
            default -> throw new IllegalArgumentException(
                    "Unknown security profile '" + name + "'; use original-design or asvs-level-2");
        };
    }

    public AccountsConfig withSessions(SessionLifetimes value) {
        return new AccountsConfig(profile, value, passwords, hashing, throttling, tokens, secondFactor,
                reauthentication);
    }

    public AccountsConfig withPasswords(PasswordPolicy value) {
        return new AccountsConfig(profile, sessions, value, hashing, throttling, tokens, secondFactor,
                reauthentication);
    }

    public AccountsConfig withHashing(HashingParams value) {
        return new AccountsConfig(profile, sessions, passwords, value, throttling, tokens, secondFactor,
                reauthentication);
    }

    public AccountsConfig withThrottling(ThrottleLimits value) {
        return new AccountsConfig(profile, sessions, passwords, hashing, value, tokens, secondFactor, reauthentication);
    }

    public AccountsConfig withTokens(TokenLifetimes value) {
        return new AccountsConfig(profile, sessions, passwords, hashing, throttling, value, secondFactor,
                reauthentication);
    }

    public AccountsConfig withSecondFactor(SecondFactorPolicy value) {
        return new AccountsConfig(profile, sessions, passwords, hashing, throttling, tokens, value, reauthentication);
    }

    public AccountsConfig withReauthentication(ReauthenticationWindows value) {
        return new AccountsConfig(profile, sessions, passwords, hashing, throttling, tokens, secondFactor, value);
    }

    /** The settings in which this config differs from {@code other}, as {@code name: other -> this} lines. */
    public List<String> deviationsFrom(AccountsConfig other) {
        List<String> out = new ArrayList<>();
        compare(out, "sessions", other.sessions, sessions);
        compare(out, "passwords", other.passwords, passwords);
        compare(out, "hashing", other.hashing, hashing);
        compare(out, "throttling", other.throttling, throttling);
        compare(out, "tokens", other.tokens, tokens);
        compare(out, "secondFactor", other.secondFactor, secondFactor);
        compare(out, "reauthentication", other.reauthentication, reauthentication);
        return out;
    }

    /** The deviations from the profile this config was started from. */
    public List<String> deviationsFromProfile() {
        return deviationsFrom(profile(profile));
    }

    private static void compare(List<String> out, String name, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            out.add(name + ": " + expected + " -> " + actual);
        }
    }
}
