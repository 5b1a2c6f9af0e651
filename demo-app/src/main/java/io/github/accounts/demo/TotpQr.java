package io.github.accounts.demo;

import io.nayuki.qrcodegen.QrCode;

/**
 * The QR code of a TOTP enrolment's {@code otpauth://} URI as SVG, made here so the secret never leaves the server
 * for a third party's QR service. Stateless.
 */
final class TotpQr {
    /** Longer than any URI accounts makes (issuer, email of 254 characters, 32-character secret). */
    static final int MAX_URI = 600;
    private static final int BORDER = 4;

    private TotpQr() {
    }

    /** The SVG of {@code otpauthUri}, one unit per module with a four-module quiet zone; null for anything else. */
    static String svg(String otpauthUri) {
        if (otpauthUri == null || otpauthUri.length() > MAX_URI || !otpauthUri.startsWith("otpauth://totp/")) {
            return null;
        }
        QrCode qr = QrCode.encodeText(otpauthUri, QrCode.Ecc.MEDIUM);
        int side = qr.size + 2 * BORDER;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000\"/></svg>";
    }
}
