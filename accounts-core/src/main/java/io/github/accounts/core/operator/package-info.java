/** What operators do to other users' accounts: {@link io.github.accounts.core.operator.Operators}. */
package io.github.accounts.core.operator;
