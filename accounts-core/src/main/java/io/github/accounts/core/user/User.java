package io.github.accounts.core.user;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** A registered user; the email is stored normalised (trimmed, lower-case). Not thread-safe (an entity). */
@Entity
@Table(name = "users")
public class User extends Timestamped {
    @Column(name = "email", nullable = false, unique = true, length = 254)
    private String email;

    @Column(name = "fname", nullable = false, length = 128)
    private String fname;

    @Column(name = "lname", nullable = false, length = 128)
    private String lname;

    /** Null for an account a provider made, until a password reset sets one. */
    @Column(name = "password_digest", length = 255)
    private String passwordDigest;

    @Column(name = "email_verified_at")
    private Instant emailVerifiedAt;

    @Column(name = "disabled_at")
    private Instant disabledAt;

    @Column(name = "disabled_reason", length = 500)
    private String disabledReason;

    @Column(name = "mfa_enabled_at")
    private Instant mfaEnabledAt;

    protected User() {
    }

    /** The user with this normalised email, looked up through its unique index. */
    public static Optional<User> byEmail(EntityManager em, String normalisedEmail) {
        return Optional.ofNullable(em.createQuery("select u from User u where u.email = :e", User.class)
                .setParameter("e", normalisedEmail).getSingleResultOrNull());
    }

    /** The user with this id, for a caller signed in as them; {@code unauthenticated} once the account is gone. */
    public static User require(EntityManager em, long userId) {
        User user = em.find(User.class, userId);
        if (user == null) {
            throw AccountsException.of(ErrorCode.UNAUTHENTICATED, "This account no longer exists.");
        }
        return user;
    }

    public User(String email, String fname, String lname, String passwordDigest, Instant now) {
        super(now);
        this.email = email;
        this.fname = fname;
        this.lname = lname;
        this.passwordDigest = passwordDigest;
    }

    public String getEmail() {
        return email;
    }

    public String getFname() {
        return fname;
    }

    public String getLname() {
        return lname;
    }

    /** The password's digest; null when the account has no password. */
    public String getPasswordDigest() {
        return passwordDigest;
    }

    public boolean hasPassword() {
        return passwordDigest != null;
    }

    public void rename(String newFname, String newLname, Instant now) {
        this.fname = newFname;
        this.lname = newLname;
        touch(now);
    }

    public void changePasswordDigest(String digest, Instant now) {
        this.passwordDigest = digest;
        touch(now);
    }

    public void markEmailVerified(Instant now) {
        if (emailVerifiedAt == null) {
            emailVerifiedAt = now;
        }
        touch(now);
    }

    public Instant getDisabledAt() {
        return disabledAt;
    }

    public String getDisabledReason() {
        return disabledReason;
    }

    public boolean isDisabled() {
        return disabledAt != null;
    }

    /** Disables the account (again: the first time and the latest reason are kept). */
    public void disable(String reason, Instant now) {
        if (disabledAt == null) {
            disabledAt = now;
        }
        disabledReason = reason;
        touch(now);
    }

    public void enable(Instant now) {
        disabledAt = null;
        disabledReason = null;
        touch(now);
    }

    public boolean isMfaEnabled() {
        return mfaEnabledAt != null;
    }

    /** TOTP turned on ({@code true}) or off. */
    public void mfaEnabled(boolean on, Instant now) {
        mfaEnabledAt = on ? now : null;
        touch(now);
    }

    /** {@code account_disabled}: what the right credentials of a disabled account get. */
    public static AccountsException disabled() {
        return AccountsException.of(ErrorCode.ACCOUNT_DISABLED, "This account has been disabled by an operator.");
    }

    public UserInfo toInfo() {
        return new UserInfo(getId(), email, fname, lname, emailVerifiedAt != null, getCreatedAt(), getUpdatedAt(),
                mfaEnabledAt != null, passwordDigest != null);
    }
}
