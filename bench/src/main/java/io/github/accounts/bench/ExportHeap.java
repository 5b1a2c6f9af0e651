package io.github.accounts.bench;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The data export of a user with {@code events} events (default 100,000) under a small fixed heap: writes the
 * document to a stream that only counts its bytes, and prints the bytes, the time and the peak heap in use while it
 * ran (the sum of the heap pools' peaks, reset after a GC just before: an upper bound). Run it with the heap to prove,
 * e.g. {@code java -Xmx64m -cp bench/target/benchmarks.jar io.github.accounts.bench.ExportHeap [POSTGRES|H2]
 * [events]}; PostgreSQL (the default) keeps its rows out of the JVM, while H2 in memory holds them on the same heap.
 */
public final class ExportHeap {
    private ExportHeap() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        TestDatabase database = TestDatabase.valueOf(args.length > 0 ? args[0] : "POSTGRES");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (TestAccounts t = new TestAccounts(database)) {
            TestUser user = TestUsers.signUp(t.accounts, "export.heap");
            DatabaseRows.insertEvents(t.dataSource, user.id(), events);
            Authenticated me = t.accounts.sessions().authenticate(user.session().sessionToken());
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long usedBefore = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
            CountingStream out = new CountingStream();
            long start = System.nanoTime();
            t.accounts.export().write(me, out);
            long took = System.nanoTime() - start;
            long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("%s export of %,d events: %,d bytes of JSON in %.1f s; heap in use before %.1f MiB,"
                    + " peak while exporting %.1f MiB (max heap %.0f MiB)%n", database, events + 1, out.bytes,
                    took / 1e9, usedBefore / 1048576.0, peak / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    /** Counts what is written and keeps none of it. */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
