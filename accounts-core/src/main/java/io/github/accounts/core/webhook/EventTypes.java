package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.FieldError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The event types a webhook wants: exact types ({@code user.signed_up}), prefixes ending in {@code .*}
 * ({@code session.*}) or {@code *}; stored space-separated. Immutable.
 */
record EventTypes(List<String> patterns) {
    static final int MAX_PATTERNS = 30;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?");
    private static final int MAX_LENGTH = 64;

    EventTypes {
        patterns = List.copyOf(patterns);
    }

    /** The checked, de-duplicated patterns, or {@code validation_failed} naming {@code event_types}. */
    static EventTypes parse(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw invalid("required", "event_types must list at least one event type.");
        }
        if (given.size() > MAX_PATTERNS) {
            throw invalid("too_many", "event_types may list at most " + MAX_PATTERNS + " entries.");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String p : given) {
            if (p == null || !(p.equals("*") || p.length() <= MAX_LENGTH && TYPE.matcher(p).matches())) {
                throw invalid("invalid", "Each event type is a type such as user.signed_up, a prefix such as "
                        + "session.*, or *.");
            }
            out.add(p);
        }
        return new EventTypes(new ArrayList<>(out));
    }

    static EventTypes stored(String column) {
        return new EventTypes(Arrays.asList(column.split(" ")));
    }

    String column() {
        return String.join(" ", patterns);
    }

    boolean matches(String type) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type)
                    || p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static AccountsException invalid(String code, String message) {
        return AccountsException.invalid(List.of(new FieldError("event_types", code, message)));
    }
}
