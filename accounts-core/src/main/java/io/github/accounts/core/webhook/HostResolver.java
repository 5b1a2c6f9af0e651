package io.github.accounts.core.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * How a webhook's host name becomes addresses; every address is checked, and a delivery connects to a checked one,
 * never looking the name up again. The default is the system's resolver. Implementations are thread-safe.
 */
@FunctionalInterface
public interface HostResolver {
    /** The system's resolver ({@link InetAddress#getAllByName}). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of {@code host}; {@link UnknownHostException} when it has none. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
