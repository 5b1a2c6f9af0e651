package io.github.accounts.core.user;

import io.github.accounts.core.Accounts;

/** Sign-up input as the client sent it; {@link Accounts#signIns()} trims, normalises and checks every field. */
public record NewUser(String email, String fname, String lname, String password) {
    @Override
    public String toString() {
        return "NewUser[email=" + email + "]";
    }
}
