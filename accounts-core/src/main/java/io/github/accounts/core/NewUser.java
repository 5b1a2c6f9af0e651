package io.github.accounts.core;

/** Sign-up input as the client sent it; {@link Accounts#signUp} trims, normalises and checks every field. */
public record NewUser(String email, String fname, String lname, String password) {
    @Override
    public String toString() {
        return "NewUser[email=" + email + "]";
    }
}
