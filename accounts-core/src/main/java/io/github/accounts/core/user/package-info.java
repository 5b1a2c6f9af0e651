/** Users and the rules their fields follow. Internal to accounts-core: not API. */
package io.github.accounts.core.user;
