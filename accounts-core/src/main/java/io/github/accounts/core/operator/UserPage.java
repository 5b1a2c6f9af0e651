package io.github.accounts.core.operator;

import java.util.List;

/** One page of users in id order; {@code next} is the {@code after} of the next page, or null. Immutable. */
public record UserPage(List<ManagedUser> users, Long next) {
    public UserPage {
        users = List.copyOf(users);
    }
}
