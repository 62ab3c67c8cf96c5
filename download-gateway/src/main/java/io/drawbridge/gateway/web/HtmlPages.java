package io.drawbridge.gateway.web;

import io.drawbridge.events.ProductBranding;
import io.drawbridge.gateway.config.GatewayProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes the gateway's few pages: small, self-contained HTML without scripts, in the buyer's language
 * ({@link BuyerText}) and the seller's colours, or a product's own (its {@link ProductBranding}). The one
 * stylesheet is fixed at start-up, so the Content-Security-Policy allows exactly that stylesheet by hash instead of
 * {@code 'unsafe-inline'}; a product's accent is a second one-rule stylesheet whose hash, and its logo's origin, the
 * page adds to its own response's policy ({@link #allow}).
 */
@Component
public class HtmlPages {

    /** Exchange attribute: the {@link PageSources} a page adds to the response's Content-Security-Policy. */
    static final String PAGE_SOURCES = HtmlPages.class.getName() + ".sources";

    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"']{1,64}@[^\\s@<>\"']{1,255}");

    private final String sellerName;
    private final String defaultAccent;
    private final String style;
    private final String styleHash;

    HtmlPages(GatewayProperties properties) {
        // Reads the message bundles now, at start-up: on a request they would be file reads on an event loop.
        BuyerText.preload();
        this.sellerName = properties.seller().name();
        String colour = ProductBranding.normalColour(properties.seller().colour());
        String problem = ProductBranding.accentProblem(colour);
        if (problem != null) {
            throw new IllegalStateException("drawbridge.gateway.seller.colour: " + problem);
        }
        this.defaultAccent = colour;
        this.style = stylesheet(colour);
        this.styleHash = "sha256-" + sha256Base64(style);
    }

    /** What a page adds to its response's Content-Security-Policy: a style hash and an image origin, each optional. */
    record PageSources(String style, String image) {}

    /** The CSP source expression of the pages' stylesheet, e.g. {@code 'sha256-...'}. */
    public String styleSource() {
        return "'" + styleHash + "'";
    }

    /**
     * How a page looks: the name in its header, a logo, the accent colour and a support address. Only values that
     * are safe to put in a page are kept (an {@code https} logo URL, a {@code #rrggbb} accent with AA contrast, an
     * address that looks like one); anything else falls back to the seller's defaults.
     */
    public record Look(String name, URI logo, String accent, String supportEmail) {}

    /** The seller's look: name and colour from configuration, no logo, no support address. */
    public Look sellerLook() {
        return new Look(sellerName, null, null, null);
    }

    /** The look of a product's pages: its branding over the seller's defaults (the header keeps the seller's name). */
    public Look look(ProductBranding branding) {
        if (branding == null || branding.isEmpty()) {
            return sellerLook();
        }
        String accent =
                branding.accentColour() != null && ProductBranding.accentProblem(branding.accentColour()) == null
                        ? ProductBranding.normalColour(branding.accentColour())
                        : null;
        String email = branding.supportEmail() != null
                        && EMAIL.matcher(branding.supportEmail()).matches()
                ? branding.supportEmail()
                : null;
        return new Look(sellerName, logo(branding.logoUrl()), accent, email);
    }

    /**
     * Lets the response's Content-Security-Policy allow what {@code look} needs beyond the fixed stylesheet. Call it
     * before the response is committed.
     */
    public void allow(ServerWebExchange exchange, Look look) {
        String accentStyle = accentStyle(look);
        String image = look.logo() == null ? null : origin(look.logo());
        if (accentStyle != null || image != null) {
            exchange.getAttributes()
                    .put(
                            PAGE_SOURCES,
                            new PageSources(
                                    accentStyle == null ? null : "'sha256-" + sha256Base64(accentStyle) + "'", image));
        }
    }

    /** Says the page's language to caches and tools: {@code Content-Language}, and {@code Vary} on the header. */
    public static void language(ServerWebExchange exchange, BuyerText text) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(HttpHeaders.CONTENT_LANGUAGE, text.language());
        headers.add(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
    }

    /** A complete page in the seller's look around {@code bodyHtml} (already escaped). */
    public String page(BuyerText text, String title, String bodyHtml) {
        return page(text, sellerLook(), title, bodyHtml);
    }

    /** A complete page around {@code bodyHtml} (already escaped). */
    public String page(BuyerText text, Look look, String title, String bodyHtml) {
        StringBuilder html = new StringBuilder(2048 + bodyHtml.length())
                .append("<!DOCTYPE html>\n<html lang=\"")
                .append(escape(text.language()))
                .append("\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\">")
                .append("<meta name=\"referrer\" content=\"no-referrer\">")
                .append("<title>")
                .append(escape(title))
                .append(" · ")
                .append(escape(look.name()))
                .append("</title><style>")
                .append(style)
                .append("</style>");
        String accentStyle = accentStyle(look);
        if (accentStyle != null) {
            html.append("<style>").append(accentStyle).append("</style>");
        }
        html.append("</head><body><header>");
        if (look.logo() != null) {
            html.append("<img class=\"logo\" src=\"")
                    .append(escape(look.logo().toString()))
                    .append("\" alt=\"\" height=\"40\">");
        }
        html.append("<div><div class=\"seller\">")
                .append(escape(look.name()))
                .append("</div><div class=\"via\">")
                .append(escape(text.get("layout.via")))
                .append("</div></div></header><main><div class=\"card\">")
                .append(bodyHtml)
                .append("</div>");
        if (look.supportEmail() != null) {
            String mailto = escape("mailto:" + look.supportEmail());
            String link = "<a href=\"" + mailto + "\">" + escape(look.supportEmail()) + "</a>";
            html.append("<p class=\"support\">")
                    .append(escape(text.get("layout.support")).replace("{0}", link))
                    .append("</p>");
        }
        return html.append("</main><footer>Drawbridge</footer></body></html>\n").toString();
    }

    /** The page for a refusal in the seller's look. */
    public String refusal(BuyerText text, DownloadRefused refusal) {
        return refusal(text, sellerLook(), refusal);
    }

    /** The page for a refusal: what happened and what to do, in words, plus the status. */
    public String refusal(BuyerText text, Look look, DownloadRefused refusal) {
        PublicError error = refusal.error();
        HttpStatus status = refusal.status();
        String title = error.title(text);
        StringBuilder body = new StringBuilder()
                .append("<h1>")
                .append(escape(title))
                .append("</h1><p>")
                .append(escape(error.advice(text)))
                .append("</p>");
        refusal.detail().ifPresent(d -> body.append("<p>").append(escape(d)).append("</p>"));
        refusal.retryAfter().ifPresent(d -> body.append("<p>")
                .append(escape(text.get("error.retry", Math.max(1, d.toSeconds()))))
                .append("</p>"));
        body.append("<p class=\"status\">")
                .append(status.value())
                .append(' ')
                .append(escape(status.getReasonPhrase()))
                .append(" · ")
                .append(escape(error.code()))
                .append("</p>");
        return page(text, look, title, body.toString());
    }

    /** A file size as people read it on a page: "512 B", "1.5 MB" (binary multiples), in English. */
    public static String humanSize(long bytes) {
        return humanSize(bytes, Locale.ENGLISH);
    }

    /** A file size with the language's decimal mark: "1.5 MB", "1,5 MB". */
    public static String humanSize(long bytes, Locale locale) {
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
        return String.format(locale, "%.1f %s", value, units[unit]);
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
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

    /** The one-rule stylesheet of a look's own accent; null when it is the seller's. */
    private String accentStyle(Look look) {
        return look.accent() == null || look.accent().equals(defaultAccent)
                ? null
                : ":root{--accent:" + look.accent() + "}";
    }

    /** An {@code https} URL with a host and nothing that could break out of an attribute; null otherwise. */
    static URI logo(String url) {
        if (url == null || url.length() > 2000) {
            return null;
        }
        try {
            URI uri = new URI(url);
            boolean plain = url.chars().noneMatch(c -> c <= 0x20 || c == '"' || c == '\'' || c == '<' || c == '>');
            return plain
                            && "https".equalsIgnoreCase(uri.getScheme())
                            && uri.getHost() != null
                            && uri.getUserInfo() == null
                    ? uri
                    : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** The CSP source of a logo: its scheme, host and port, e.g. {@code https://cdn.example.com}. */
    private static String origin(URI logo) {
        return "https://" + logo.getHost().toLowerCase(Locale.ROOT) + (logo.getPort() < 0 ? "" : ":" + logo.getPort());
    }

    private static String stylesheet(String colour) {
        // Colours: text #1b1f24 on white 16:1; grey text #595959 on the page's #f4f6f8 6.4:1 and on white 7:1; form
        // borders #6b7580 on white 4.8:1 (WCAG 1.4.11 asks 3:1); white on the accent at least 4.5:1 (checked).
        return ":root{--accent:" + colour + "}"
                + "*{box-sizing:border-box}"
                + "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
                + "color:#1b1f24;background:#f4f6f8}"
                + "header{background:var(--accent);color:#fff;padding:14px 24px;display:flex;gap:14px;"
                + "align-items:center}"
                + "header .logo{height:40px;width:auto;max-width:160px;background:#fff;border-radius:4px}"
                + "header .seller{font-weight:600;font-size:18px}"
                + "header .via{font-size:13px}"
                + "main{max-width:780px;margin:32px auto;padding:0 16px}"
                + ".card{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:24px}"
                + "h1{font-size:22px;margin:0 0 12px}"
                + "a{color:var(--accent)}"
                + "table{width:100%;border-collapse:collapse;margin:12px 0 20px}"
                + "th,td{text-align:left;padding:8px 6px;border-bottom:1px solid #e3e7ec;vertical-align:top}"
                + "td.size{white-space:nowrap}"
                + ".sha{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;word-break:break-all;color:#595959}"
                + ".meta{display:flex;gap:24px;flex-wrap:wrap;color:#444;margin:4px 0 8px}"
                + ".platform{font-size:13px;color:#595959;border:1px solid #6b7580;border-radius:4px;padding:0 6px;"
                + "margin-left:6px}"
                + "button{background:var(--accent);color:#fff;border:0;border-radius:6px;padding:12px 28px;"
                + "font-size:16px;cursor:pointer;margin-top:12px}"
                // Keyboard focus is always visible (WCAG 2.4.7/2.4.13): a dark ring outside the control, on white.
                + "a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,"
                + "textarea:focus-visible{outline:3px solid #1b1f24;outline-offset:2px}"
                + "label{display:block;margin:10px 0 4px;font-size:14px}"
                + "input,select{font:inherit;padding:8px;border:1px solid #6b7580;border-radius:6px;width:100%;"
                + "max-width:360px;box-sizing:border-box}"
                // A pasted secret (a key, a config file) and the link it gives need the card's whole width.
                + "textarea{font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;padding:8px;border:1px solid #6b7580;"
                + "border-radius:6px;width:100%;box-sizing:border-box;min-height:10em;resize:vertical}"
                + "input#link{max-width:none;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}"
                + ".note,.status{font-size:14px;color:#595959;margin-top:16px}"
                + ".support{text-align:center;margin:16px 0 0}"
                + "footer{text-align:center;color:#595959;font-size:12px;margin:24px}";
    }

    static String sha256Base64(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
