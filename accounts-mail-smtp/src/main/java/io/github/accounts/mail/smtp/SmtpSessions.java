package io.github.accounts.mail.smtp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Properties;

/** The Jakarta Mail session properties for some {@link SmtpSettings}. */
final class SmtpSessions {
    private SmtpSessions() {
    }

    static Properties properties(SmtpSettings settings) {
        Properties p = new Properties();
        String timeout = Long.toString(settings.timeout().toMillis());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", Boolean.toString(!settings.username().isEmpty()));
        p.put("mail.smtp.from", settings.from().getAddress());
        switch (settings.security()) {
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
            case NONE -> { }
        }
        if (settings.pinnedCertificate().isPresent()) {
            // The pin is the server's identity: its names are not checked on top.
            p.put("mail.smtp.ssl.socketFactory", pinnedTo(settings.pinnedCertificate().get()));
            p.put("mail.smtp.ssl.checkserveridentity", "false");
        } else {
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        return p;
    }

    /** TLS sockets that trust a server presenting exactly {@code pinned}, and no other. */
    static SSLSocketFactory pinnedTo(X509Certificate pinned) {
        X509TrustManager trust = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (chain == null || chain.length == 0 || !chain[0].equals(pinned)) {
                    throw new CertificateException("The SMTP server's certificate is not the pinned one");
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("Not a server");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK offers no TLS", e);
        }
    }
}
