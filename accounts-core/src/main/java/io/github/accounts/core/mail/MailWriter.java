package io.github.accounts.core.mail;

import io.github.accounts.core.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes each mail from its template: the host's {@link MailTemplates} in the locale the request's languages pick,
 * else accounts' English ({@link EnglishMails}), with the action's link to the host's page (the token in the
 * fragment). Thread-safe if the host's templates are.
 */
public final class MailWriter {
    private static final Logger log = LoggerFactory.getLogger(MailWriter.class);

    private final MailTemplates templates;
    private final URI publicUrl;
    private final Map<MailTemplates.Kind, URI> pages;

    /**
     * {@code templates}: the host's, null for none; {@code publicUrl}: the page links open unless {@code pages}
     * names one for their kind; null for mails without links. Checks the host's templates now: each may use only
     * its kind's placeholders, and a link only where there is a page.
     */
    public MailWriter(MailTemplates templates, URI publicUrl, Map<MailTemplates.Kind, URI> pages) {
        this.templates = templates;
        this.publicUrl = publicUrl;
        this.pages = pages.isEmpty() ? Map.of() : new EnumMap<>(pages);
        if (templates != null) {
            check();
        }
    }

    /** The link of {@code kind} carrying {@code token} in its fragment; null without a page for it. */
    public String link(MailTemplates.Kind kind, String token) {
        URI page = pages.get(kind);
        String base = page != null ? page.toString()
                : publicUrl == null ? null : publicUrl.toString().replaceAll("/+$", "") + "/";
        return base == null || kind.fragment() == null ? null : base + "#" + kind.fragment() + "=" + token;
    }

    /**
     * The mail of {@code kind} for a request from {@code client} (its languages pick the locale), {@code values}
     * filling its placeholders; the link and {@code {token}} come from {@code token} (null for a mail without one).
     */
    public MailMessage write(MailTemplates.Kind kind, ClientInfo client, String token, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        String link = token == null ? null : link(kind, token);
        if (token != null) {
            all.put("token", token);
        }
        if (link != null) {
            all.put("link", link);
        }
        if (publicUrl != null) {
            all.put("site", publicUrl.toString());
        }
        boolean linked = kind == MailTemplates.Kind.SIGN_IN_NO_ACCOUNT ? publicUrl != null : link != null;
        MailTemplate template = null;
        if (templates != null) {
            Locale locale = pick(client.languages());
            try {
                template = templates.template(kind, locale);
            } catch (RuntimeException e) {
                log.warn("The host's mail template of {} in '{}' failed, so the English one goes out: {}", kind,
                        locale.toLanguageTag(), e.toString());
            }
        }
        return (template != null ? template : EnglishMails.template(kind, linked)).fill(all);
    }

    /** The host's locale best fitting {@code languages} (the request's, best first), else the host's first. */
    Locale pick(List<Locale> languages) {
        List<Locale> offered = templates.locales();
        if (offered.isEmpty()) {
            return Locale.ROOT;
        }
        if (!languages.isEmpty()) {
            List<Locale.LanguageRange> ranges = new ArrayList<>();
            languages.forEach(l -> ranges.add(new Locale.LanguageRange(l.toLanguageTag())));
            Locale found = Locale.lookup(ranges, offered);
            if (found != null) {
                return found;
            }
            List<Locale> near = Locale.filter(ranges, offered);
            if (!near.isEmpty()) {
                return near.get(0);
            }
        }
        return offered.get(0);
    }

    private void check() {
        List<Locale> locales = templates.locales().isEmpty() ? List.of(Locale.ROOT) : templates.locales();
        for (MailTemplates.Kind kind : MailTemplates.Kind.values()) {
            for (Locale locale : locales) {
                MailTemplate t = templates.template(kind, locale);
                if (t == null) {
                    continue;
                }
                Set<String> unknown = new TreeSet<>(t.placeholders());
                unknown.removeAll(kind.placeholders());
                String where = "The mail template of " + kind + " in '" + locale.toLanguageTag() + "'";
                if (!unknown.isEmpty()) {
                    throw new IllegalStateException(where + " uses " + unknown + "; " + kind + " has "
                            + new TreeSet<>(kind.placeholders()));
                }
                boolean linked = kind == MailTemplates.Kind.SIGN_IN_NO_ACCOUNT ? publicUrl != null
                        : link(kind, "") != null;
                String needsPage = kind == MailTemplates.Kind.SIGN_IN_NO_ACCOUNT ? "site" : "link";
                if (!linked && t.placeholders().contains(needsPage)) {
                    throw new IllegalStateException(where + " uses {" + needsPage + "}, but there is no page to link"
                            + " to: give AccountsBuilder.publicUrl(...) or mailPage(" + kind + ", ...)");
                }
            }
        }
    }
}
