/** Password hashing behind a bulkhead, and the password policy. Internal to accounts-core: not API. */
package io.github.accounts.core.password;
