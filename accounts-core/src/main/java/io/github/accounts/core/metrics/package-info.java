/**
 * The meters accounts registers when the host gives {@code AccountsBuilder.meterRegistry} a Micrometer registry:
 * {@code accounts.sign_ins}, {@code accounts.sign_ups} and {@code accounts.refreshes} counted by {@code outcome}
 * (the tag values are the constants of {@link io.github.accounts.core.metrics.SignInOutcome},
 * {@link io.github.accounts.core.metrics.SignUpOutcome} and {@link io.github.accounts.core.metrics.RefreshOutcome},
 * in lower case), sign-ins also by {@code method} ({@link io.github.accounts.core.metrics.SignInMethod}: the
 * credential presented), the {@code accounts.password.hash} timer, and the gauges {@code accounts.password.hash.queue} and
 * {@code accounts.sessions.active}. Only the package-private {@code MicrometerMetrics} calls Micrometer, and it is
 * loaded only when a registry was given, so hosts without Micrometer never need it on their class path.
 * {@link io.github.accounts.core.metrics.Metrics} is internal to accounts-core (not API).
 */
package io.github.accounts.core.metrics;
