/**
 * Account events: every change to an account is recorded in the transaction of the change; listeners registered
 * on the accounts builder read them after commit. {@link io.github.accounts.core.event.Events},
 * {@link io.github.accounts.core.event.AccountEvent}, {@link io.github.accounts.core.event.AccountEventListener} and
 * {@link io.github.accounts.core.event.EventPage} are API; {@link io.github.accounts.core.event.EventLog} is machinery.
 */
package io.github.accounts.core.event;
