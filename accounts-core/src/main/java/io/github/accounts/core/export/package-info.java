/** A user's own data, exported: {@link io.github.accounts.core.export.DataExport}. */
package io.github.accounts.core.export;
