/** Sessions: issue, authenticate, rotate, list and revoke. Internal to accounts-core: not API. */
package io.github.accounts.core.session;
