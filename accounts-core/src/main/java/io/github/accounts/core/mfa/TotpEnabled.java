package io.github.accounts.core.mfa;

import java.util.List;
import java.util.Objects;

/**
 * TOTP turned on: the 10 recovery codes, shown this once, and how many other sessions of the user are active, so a
 * client can offer to sign them out (a session a thief holds would otherwise outlive the new factor). Immutable.
 */
public record TotpEnabled(List<String> recoveryCodes, int otherSessions) {
    public TotpEnabled {
        recoveryCodes = List.copyOf(Objects.requireNonNull(recoveryCodes, "null recoveryCodes"));
    }

    @Override
    public String toString() {
        return "TotpEnabled[recovery codes hidden, otherSessions=" + otherSessions + "]";
    }
}
