package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Writes the gateway's few pages: small, self-contained HTML without scripts or external assets, in the seller's
 * colours. Its one stylesheet is fixed at start-up, so the Content-Security-Policy can allow exactly that
 * stylesheet by hash instead of {@code 'unsafe-inline'}.
 */
@Component
public class HtmlPages {

    private final String sellerName;
    private final String style;
    private final String styleHash;

    HtmlPages(GatewayProperties properties) {
        this.sellerName = properties.seller().name();
        this.style = stylesheet(properties.seller().colour());
        this.styleHash = "sha256-" + sha256Base64(style);
    }

    /** The CSP source expression of the pages' stylesheet, e.g. {@code 'sha256-...'}. */
    public String styleSource() {
        return "'" + styleHash + "'";
    }

    /** A complete page around {@code bodyHtml} (already escaped). */
    public String page(String title, String bodyHtml) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex, nofollow\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + escape(title) + " · " + escape(sellerName) + "</title>"
                + "<style>" + style + "</style></head><body>"
                + "<header><div class=\"seller\">" + escape(sellerName) + "</div>"
                + "<div class=\"via\">Secure download by Drawbridge</div></header>"
                + "<main><div class=\"card\">" + bodyHtml + "</div></main>"
                + "<footer>Drawbridge</footer></body></html>\n";
    }

    /** The page for a refusal: what happened and what to do, in words, plus the status. */
    public String refusal(DownloadRefused refusal) {
        PublicError error = refusal.error();
        HttpStatus status = refusal.status();
        StringBuilder body = new StringBuilder()
                .append("<h1>")
                .append(escape(error.title()))
                .append("</h1><p>")
                .append(escape(error.advice()))
                .append("</p>");
        refusal.detail().ifPresent(d -> body.append("<p>").append(escape(d)).append("</p>"));
        refusal.retryAfter().ifPresent(d -> body.append("<p>Try again in ")
                .append(Math.max(1, d.toSeconds()))
                .append(" seconds.</p>"));
        body.append("<p class=\"status\">")
                .append(status.value())
                .append(' ')
                .append(escape(status.getReasonPhrase()))
                .append(" · ")
                .append(escape(error.code()))
                .append("</p>");
        return page(error.title(), body.toString());
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
    /** A file size as people read it on a page: "512 B", "1.5 MB" (binary multiples). */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ENGLISH, "%.1f %s", value, units[unit]);
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static String stylesheet(String colour) {
        return ":root{--accent:" + colour + "}"
                + "*{box-sizing:border-box}"
                + "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
                + "color:#1b1f24;background:#f4f6f8}"
                + "header{background:var(--accent);color:#fff;padding:14px 24px}"
                + "header .seller{font-weight:600;font-size:18px}"
                + "header .via{opacity:.85;font-size:13px}"
                + "main{max-width:780px;margin:32px auto;padding:0 16px}"
                + ".card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:24px}"
                + "h1{font-size:22px;margin:0 0 12px}"
                + "table{width:100%;border-collapse:collapse;margin:12px 0 20px}"
                + "th,td{text-align:left;padding:8px 6px;border-bottom:1px solid #e3e7ec;vertical-align:top}"
                + "td.size{white-space:nowrap}"
                + ".sha{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;word-break:break-all;color:#555}"
                + ".meta{display:flex;gap:24px;flex-wrap:wrap;color:#444;margin:4px 0 8px}"
                + ".platform{font-size:13px;color:#555;border:1px solid #c8ced6;border-radius:4px;padding:0 6px;"
                + "margin-left:6px}"
                + "button{background:var(--accent);color:#fff;border:0;border-radius:6px;padding:12px 28px;"
                + "font-size:16px;cursor:pointer;margin-top:12px}"
                + "label{display:block;margin:10px 0 4px;font-size:14px}"
                + "input,select{font:inherit;padding:8px;border:1px solid #c8ced6;border-radius:6px;width:100%;"
                + "max-width:360px;box-sizing:border-box}"
                // A pasted secret (a key, a config file) and the link it gives need the card's whole width.
                + "textarea{font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;padding:8px;border:1px solid #c8ced6;"
                + "border-radius:6px;width:100%;box-sizing:border-box;min-height:10em;resize:vertical}"
                + "input#link{max-width:none;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}"
                + ".note,.status{font-size:14px;color:#666;margin-top:16px}"
                + "footer{text-align:center;color:#888;font-size:12px;margin:24px}";
    }

    private static String sha256Base64(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
