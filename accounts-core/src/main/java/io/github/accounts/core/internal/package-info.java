/**
 * Internal machinery of accounts-core: transactions, the mapped base entity and tokens. Not API: public only so
 * that the feature packages can share it; it may change in any release.
 */
package io.github.accounts.core.internal;
