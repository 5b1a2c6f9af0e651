/**
 * Email change: {@link io.github.accounts.core.email.EmailChange} is API; its flows are machinery.
 */
package io.github.accounts.core.email;
