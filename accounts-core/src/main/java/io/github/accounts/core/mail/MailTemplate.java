package io.github.accounts.core.mail;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wording of one kind of mail: a subject, a plain text and optionally an HTML part, each with placeholders such
 * as <code>{link}</code> that accounts fills in when it sends (which ones each kind has: {@link MailTemplates.Kind}).
 * Values are escaped in the HTML part; anything in braces that is not a lower-case word stays as written. Immutable.
 */
public record MailTemplate(String subject, String text, String html) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    public MailTemplate {
        Objects.requireNonNull(subject, "null subject");
        Objects.requireNonNull(text, "null text");
        if (subject.isBlank() || text.isBlank()) {
            throw new IllegalArgumentException("A mail template needs a subject and a text, was '" + subject + "'");
        }
        if (html != null && html.isBlank()) {
            throw new IllegalArgumentException("A blank HTML part: pass null for a plain-text mail");
        }
    }

    /** A plain-text template. */
    public static MailTemplate of(String subject, String text) {
        return new MailTemplate(subject, text, null);
    }

    /** This template with an HTML part beside its text; the mail then goes out as both (multipart/alternative). */
    public MailTemplate withHtml(String value) {
        return new MailTemplate(subject, text, Objects.requireNonNull(value, "null html"));
    }

    /** Every placeholder the template uses, in the order they first appear. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>();
        for (String part : new String[] {subject, text, html}) {
            if (part != null) {
                Matcher m = PLACEHOLDER.matcher(part);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The message with {@code values} filled in; values in the subject lose their line breaks. */
    MailMessage fill(Map<String, String> values) {
        return new MailMessage(fill(subject, values, false).replaceAll("[\r\n]+", " "), fill(text, values, false),
                html == null ? null : fill(html, values, true));
    }

    private static String fill(String pattern, Map<String, String> values, boolean escape) {
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("No value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape ? escapeHtml(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escapeHtml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;").replace("\n", "<br>\n");
    }
}
