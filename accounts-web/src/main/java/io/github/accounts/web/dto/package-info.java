/** The JSON shapes of the accounts HTTP contract, as immutable records (snake_case on the wire). */
package io.github.accounts.web.dto;
