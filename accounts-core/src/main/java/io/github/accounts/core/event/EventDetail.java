package io.github.accounts.core.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON text of an event's detail: a flat object of strings and whole numbers, which is all accounts writes, so
 * a few lines here spare accounts-core a JSON library. Not thread-safe state: static functions only.
 */
final class EventDetail {
    private EventDetail() {
    }

    static String write(Map<String, Object> detail) {
        StringBuilder json = new StringBuilder("{");
        detail.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, key).append(':');
            if (value instanceof Long || value instanceof Integer) {
                json.append(value);
            } else {
                quote(json, String.valueOf(value));
            }
        });
        return json.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder json, String s) {
        json.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }

    /** Reads back what {@link #write} wrote. */
    static Map<String, Object> read(String json) {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (json == null) {
            return detail;
        }
        int[] at = {1};
        while (at[0] < json.length() && json.charAt(at[0]) == '"') {
            String key = string(json, at);
            at[0]++; // ':'
            Object value = json.charAt(at[0]) == '"' ? string(json, at) : number(json, at);
            detail.put(key, value);
            if (json.charAt(at[0]) == ',') {
                at[0]++;
            }
        }
        return detail;
    }

    private static String string(String json, int[] at) {
        StringBuilder s = new StringBuilder();
        int i = at[0] + 1;
        for (char c = json.charAt(i); c != '"'; c = json.charAt(i)) {
            if (c == '\\') {
                char escaped = json.charAt(i + 1);
                if (escaped == 'u') {
                    s.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
                    i += 6;
                } else {
                    s.append(escaped);
                    i += 2;
                }
            } else {
                s.append(c);
                i++;
            }
        }
        at[0] = i + 1;
        return s.toString();
    }

    private static Long number(String json, int[] at) {
        int end = at[0];
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        Long value = Long.valueOf(json.substring(at[0], end));
        at[0] = end;
        return value;
    }
}
