package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.web.RouteAdapter.Streamed;

/**
 * {@code GET /users/me/export}: the signed-in user's own data as one JSON file to download, streamed as core writes
 * it (see {@code DataExport}). Thread-safe.
 */
final class ExportRoutes {
    static final String DISPOSITION = "attachment; filename=\"accounts-export.json\"";

    private final Accounts accounts;

    ExportRoutes(Accounts accounts) {
        this.accounts = accounts;
    }

    Object export(Exchange x) {
        Authenticated who = x.who();
        return new Streamed("application/json", DISPOSITION, out -> accounts.export().write(who, out));
    }
}
