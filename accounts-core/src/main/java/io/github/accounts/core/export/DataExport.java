package io.github.accounts.core.export;

import io.github.accounts.core.Authenticated;
import jakarta.persistence.EntityManagerFactory;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A user's own data as one readable JSON document ({@code Accounts.export()}), for the right of access and data
 * portability: {@code user}, {@code sessions}, {@code events} (all of them), {@code passkeys}, {@code identities}
 * and {@code mfa}, and never a digest, secret, token or code. Streamed: events are read a page at a time and
 * written as they come, so a user with 100,000 events costs a page of memory. Thread-safe.
 */
public interface DataExport {
    /**
     * Writes the signed-in user's document to {@code out} (left open). A database failure before the first byte is
     * an {@code AccountsException}; after it, the document is cut short and the {@link IOException} or exception
     * says so to the caller, who can only drop the connection.
     */
    void write(Authenticated current, OutputStream out) throws IOException;

    /** The export over the tables of {@code emf}'s database; {@code Accounts} builds its own. */
    static DataExport over(EntityManagerFactory emf) {
        return new ExportFlows(emf);
    }
}
