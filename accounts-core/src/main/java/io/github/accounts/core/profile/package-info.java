/**
 * The signed-in user's own account: {@link io.github.accounts.core.profile.Profile} is API; its flows are machinery.
 */
package io.github.accounts.core.profile;
