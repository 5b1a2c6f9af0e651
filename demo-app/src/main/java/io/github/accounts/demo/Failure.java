package io.github.accounts.demo;

/**
 * A reason demo-app cannot go on, said in one sentence that names what to fix; {@link Main} prints it and exits
 * with {@link #exitCode()}. Carries no stack trace: it is an expected outcome of a bad setting or a missing
 * database, not a bug.
 */
final class Failure extends RuntimeException {
    /** Bad command line or settings: the person has to change what they typed or configured. */
    static final int USAGE = 2;
    /** The command was right but could not be carried out (database unreachable, change sets pending, ...). */
    static final int RUNTIME = 1;

    private final int exitCode;
    private final boolean showUsage;

    private Failure(int exitCode, boolean showUsage, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.showUsage = showUsage;
    }

    /** A command line that names no command we have; the usage text follows the reason. */
    static Failure unknownCommand(String commandLine) {
        return new Failure(USAGE, true, "Unknown command '" + commandLine + "'");
    }

    static Failure usage(String message) {
        return new Failure(USAGE, false, message);
    }

    static Failure runtime(String message) {
        return new Failure(RUNTIME, false, message);
    }

    int exitCode() {
        return exitCode;
    }

    boolean showUsage() {
        return showUsage;
    }
}
