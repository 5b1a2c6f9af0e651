/**
 * What operators do to other users' accounts: {@link io.github.accounts.core.operator.Operators} and its records
 * are API; its flows are machinery.
 */
package io.github.accounts.core.operator;
