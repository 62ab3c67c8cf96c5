package io.drawbridge.audit.downloads.web;

import io.drawbridge.audit.downloads.domain.DownloadLogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The download log as RFC 4180 CSV for spreadsheets. Values that come from customers or storefronts (user agent,
 * file name, order id...) are neutralised against CSV injection (OWASP): a cell starting with {@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return is prefixed with a single quote, so a spreadsheet shows it as text
 * instead of evaluating it as a formula.
 */
final class CsvFormat {

    static final List<String> COLUMNS = List.of(
            "started_at",
            "completed_at",
            "outcome",
            "reason",
            "customer_email",
            "order_id",
            "token_id",
            "platform",
            "file_name",
            "file_size",
            "bytes_delivered",
            "duration_ms",
            "responses",
            "client_ip",
            "user_agent",
            "request_id",
            "grant_id");

    private CsvFormat() {}

    static String header() {
        return String.join(",", COLUMNS) + "\r\n";
    }

    static String line(DownloadLogEntry entry) {
        List<String> cells = new ArrayList<>(COLUMNS.size());
        cells.add(plain(entry.startedAt()));
        cells.add(plain(entry.completedAt()));
        cells.add(text(entry.outcome()));
        cells.add(text(entry.reason()));
        cells.add(text(entry.customerEmail()));
        cells.add(text(entry.orderId()));
        cells.add(plain(entry.tokenId()));
        cells.add(text(entry.platform()));
        cells.add(text(entry.fileName()));
        cells.add(plain(entry.fileSize()));
        cells.add(plain(entry.bytesDelivered()));
        cells.add(plain(entry.durationMs()));
        cells.add(plain(entry.responses()));
        cells.add(text(entry.clientIp()));
        cells.add(text(entry.userAgent()));
        cells.add(plain(entry.requestId()));
        cells.add(plain(entry.grantId()));
        return String.join(",", cells) + "\r\n";
    }

    /** A value we produced ourselves (number, UUID, timestamp): never a formula, quoted only if needed. */
    private static String plain(Object value) {
        return value == null ? "" : quoted(value.toString());
    }

    /** A value that came from outside: defused, then quoted if needed. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        String safe = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + value
                : value;
        return quoted(safe);
    }

    private static String quoted(String value) {
        boolean needsQuotes = value.indexOf(',') >= 0
                || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0
                || value.startsWith("'");
        return needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
