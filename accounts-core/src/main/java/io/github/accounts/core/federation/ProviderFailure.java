package io.github.accounts.core.federation;

/**
 * A provider's round trip that failed: {@code error} is what the browser is told ({@code access_denied} when the user
 * cancelled at the provider, else {@code provider_error}); the message is for the server log and never holds a token
 * or code. Carries no stack trace: it is an expected outcome.
 */
public final class ProviderFailure extends RuntimeException {
    /** The user cancelled at the provider. */
    public static final String ACCESS_DENIED = "access_denied";
    /** The exchange or the token's validation failed, or the provider did not answer in time. */
    public static final String PROVIDER_ERROR = "provider_error";

    private final String error;

    ProviderFailure(String error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    static ProviderFailure of(String message) {
        return new ProviderFailure(PROVIDER_ERROR, message);
    }

    /**
     * What went wrong, for the log, without the values a library's message may quote after its first colon (a
     * token's claims, a response's text): {@code Unexpected JWT nonce (nonce) claim}, not the nonce.
     */
    static String why(Exception e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(':');
        return e.getClass().getSimpleName() + " " + (colon < 0 ? message : message.substring(0, colon));
    }

    /** The {@code #accounts_error} code for the browser. */
    public String error() {
        return error;
    }
}
