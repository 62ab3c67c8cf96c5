package io.drawbridge.token.issue.web;

import io.drawbridge.token.issue.domain.IssuedToken;
import java.util.List;

/**
 * The CSV a seller feeds to a mail merge: {@code order_id,email,link,expires_at}, RFC 4180 quoting, and cells that
 * a spreadsheet would run as a formula defused with a leading apostrophe.
 */
final class MailMergeCsv {

    private MailMergeCsv() {}

    static String of(List<IssuedToken> issued) {
        StringBuilder csv = new StringBuilder("order_id,email,link,expires_at\r\n");
        for (IssuedToken token : issued) {
            csv.append(cell(token.orderId()))
                    .append(',')
                    .append(cell(token.customerEmail()))
                    .append(',')
                    .append(cell(token.link()))
                    .append(',')
                    .append(cell(token.expiresAt().toString()))
                    .append("\r\n");
        }
        return csv.toString();
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
