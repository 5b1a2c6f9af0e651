/**
 * Users: {@link io.github.accounts.core.user.UserInfo} and {@link io.github.accounts.core.user.NewUser} are API; the
 * entity and the rules its fields follow are machinery of accounts-core.
 */
package io.github.accounts.core.user;
