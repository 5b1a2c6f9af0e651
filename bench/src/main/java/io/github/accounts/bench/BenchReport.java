package io.github.accounts.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the bench mains share: latency percentiles, the markdown table they print, heap after GC and RSS. */
final class BenchReport {
    private BenchReport() {
    }

    /** {@code p50 x ms, p99 y ms, max z ms} of {@code sorted} nanosecond samples (sorted ascending). */
    static String percentiles(long[] sorted) {
        int n = sorted.length;
        return "p50 " + ms(sorted[n / 2]) + " ms, p99 " + ms(sorted[(int) (n * 0.99)]) + " ms, max "
                + ms(sorted[n - 1]) + " ms";
    }

    /** Prints one markdown table: a blank line, the header {@code | title | result |}, and the rows. */
    static void printTable(String title, List<String> rows) {
        System.out.println();
        System.out.println("| " + title + " | result |");
        System.out.println("|---|---|");
        rows.forEach(System.out::println);
    }

    /** This process's used heap after three collections. */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** This process's resident set in KiB, or -1 where /proc does not say. */
    static long rssKiB() throws IOException {
        return statusKiB("self", "VmRSS:");
    }

    /** A {@code /proc/<pid>/status} field in KiB ({@code VmRSS:}, {@code VmHWM:}), or -1 when it is not there. */
    static long statusKiB(String pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static String ms(long nanos) {
        return String.format("%.2f", nanos / 1e6);
    }
}
