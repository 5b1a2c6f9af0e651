package io.github.accounts.demo;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;

import java.io.PrintStream;
import java.util.List;

/**
 * The {@code db} subcommands: each opens a small pool, does one thing through {@link Migrations} or
 * {@link SchemaDiff}, prints what happened in plain sentences, and closes the pool. Not thread-safe; one per run.
 */
final class DbCommands {
    private final PrintStream out;

    DbCommands(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code db <args>} against the settings' database; returns the exit code. */
    int run(List<String> args, Settings settings) {
        String name = args.get(0);
        int downgradeCount = name.equals("downgrade") ? downgradeCount(args) : 0;
        if (!List.of("upgrade", "status", "downgrade", "history", "diff").contains(name)
                || (!name.equals("downgrade") && args.size() > 1)) {
            throw Failure.unknownCommand("db " + String.join(" ", args));
        }
        DatabaseUrl where = settings.database();
        try (HikariDataSource pool = ConnectionPool.open(where, 2)) {
            Migrations migrations = new Migrations(pool, where);
            switch (name) {
                case "upgrade" -> upgrade(migrations, where);
                case "status" -> status(migrations, where);
                case "downgrade" -> downgrade(migrations, where, downgradeCount);
                case "history" -> history(migrations, where);
                default -> new SchemaDiff(Accounts.entityClasses()).print(pool, where, out);
            }
        }
        return 0;
    }

    private void upgrade(Migrations migrations, DatabaseUrl where) {
        List<String> applied = migrations.upgrade();
        if (applied.isEmpty()) {
            out.println("Nothing to apply: " + where + " is up to date.");
        } else {
            out.println("Applied " + count(applied.size()) + " to " + where + ":");
            applied.forEach(cs -> out.println("  " + cs));
        }
    }

    private void status(Migrations migrations, DatabaseUrl where) {
        List<String> pending = migrations.pending();
        if (pending.isEmpty()) {
            out.println("Up to date: no change sets pending on " + where + ".");
        } else {
            out.println(count(pending.size()) + " pending on " + where + " (apply with 'db upgrade'):");
            pending.forEach(cs -> out.println("  " + cs));
        }
    }

    private void downgrade(Migrations migrations, DatabaseUrl where, int n) {
        List<String> undone = migrations.downgrade(n);
        if (undone.isEmpty()) {
            out.println("Nothing to roll back: no change sets are applied on " + where + ".");
        } else {
            out.println("Rolled back " + count(undone.size()) + " on " + where + ", newest first:");
            undone.forEach(cs -> out.println("  " + cs));
        }
    }

    private void history(Migrations migrations, DatabaseUrl where) {
        List<Migrations.Applied> applied = migrations.history();
        if (applied.isEmpty()) {
            out.println("No change sets applied on " + where + ".");
            return;
        }
        out.println(count(applied.size()) + " applied on " + where + ", oldest first:");
        applied.forEach(a -> out.println("  " + a.executedAt() + "  " + a.kind() + "  " + a.changeSet()));
    }

    private static int downgradeCount(List<String> args) {
        if (args.size() == 1) {
            return 1;
        }
        if (args.size() == 2 && args.get(1).matches("[1-9][0-9]{0,5}")) {
            return Integer.parseInt(args.get(1));
        }
        throw Failure.usage("db downgrade takes one positive number of change sets, not '"
                + String.join(" ", args.subList(1, args.size())) + "'");
    }

    private static String count(int n) {
        return n == 1 ? "1 change set" : n + " change sets";
    }
}
