package io.drawbridge.gateway.share;

import static io.drawbridge.gateway.web.HtmlPages.escape;

import io.drawbridge.gateway.share.ShareApiController.ShareLinks;
import io.drawbridge.gateway.web.HtmlPages;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The pages of one-time shares: {@code /share} (the form; works without JavaScript, a small script shows upload
 * progress), {@code /s/{token}} (what the share holds; shows, never reveals or consumes, whatever fetches it), its
 * button ({@code POST}: the text in the page, or a 303 to the file's download) and {@code /s/dl/{grant}.{key}} (the
 * file, decrypted by file-service, with Range). Same look as the landing page ({@link HtmlPages}).
 */
@Controller
class SharePageController {

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern(
                    "d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The share form's one script: upload with progress through the JSON API, then the link and a copy button. */
    static final String SCRIPT =
            "(function(){var f=document.getElementById('share-form');if(!f||!window.FormData)return;"
                    + "var p=document.getElementById('progress'),s=document.getElementById('status');"
                    + "f.addEventListener('submit',function(e){e.preventDefault();var d=new FormData(f),fi=d.get('file');"
                    + "if(fi&&!fi.name)d.delete('file');if(d.get('text')==='')d.delete('text');"
                    + "if(d.get('password')==='')d.delete('password');"
                    + "var x=new XMLHttpRequest();x.open('POST','/api/v1/shares');p.hidden=false;p.value=0;"
                    + "x.upload.onprogress=function(ev){if(ev.lengthComputable){p.value=Math.round(ev.loaded*100/ev.total);"
                    + "s.textContent='Uploading: '+p.value+'%';}};"
                    + "x.onload=function(){var r;try{r=JSON.parse(x.responseText);}catch(err){r={};}"
                    + "if(x.status===201){p.value=100;f.hidden=true;var o=document.getElementById('result');o.hidden=false;"
                    + "var l=document.getElementById('link');l.value=r.link;"
                    + "document.getElementById('result-expiry').textContent=r.expires_at;"
                    + "document.getElementById('result-reads').textContent=r.max_reads;s.textContent='Link created.';l.focus();"
                    + "l.select();}else{s.textContent=(r.detail||'The share could not be created')+' ('+x.status+')';}};"
                    + "x.onerror=function(){s.textContent='The upload failed. Try again.';};x.send(d);});"
                    + "var c=document.getElementById('copy');if(c){c.hidden=false;c.addEventListener('click',function(){"
                    + "var l=document.getElementById('link');l.select();if(navigator.clipboard){navigator.clipboard"
                    + ".writeText(l.value);}else{document.execCommand('copy');}c.textContent='Copied';});}})();";

    private final ShareClient shares;
    private final ShareLinks links;
    private final HtmlPages pages;
    private final ShareCreators creators;
    private final String contentSecurityPolicy;

    SharePageController(ShareClient shares, ShareLinks links, HtmlPages pages, ShareCreators creators) {
        this.shares = shares;
        this.links = links;
        this.pages = pages;
        this.creators = creators;
        this.contentSecurityPolicy = "default-src 'none'; style-src " + pages.styleSource() + "; script-src 'sha256-"
                + sha256Base64(SCRIPT) + "'; connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
                + " base-uri 'none'";
    }

    @GetMapping("/share")
    Mono<Void> form(ServerWebExchange exchange) {
        if (!creators.anyone()) {
            return html(exchange, HttpStatus.OK, pages.page("Share a secret", sellersOnlyBody()), false);
        }
        return html(exchange, HttpStatus.OK, pages.page("Share a secret", formBody()), true);
    }

    /** The form without JavaScript: the multipart body goes through to file-service as it arrives. */
    @PostMapping("/share")
    Mono<Void> create(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return creators.check(exchange.getRequest())
                .then(Mono.defer(() -> shares.create(
                        headers.getContentType(),
                        headers.getContentLength(),
                        exchange.getRequest().getBody())))
                .flatMap(created ->
                        html(exchange, HttpStatus.CREATED, pages.page("Your link", createdBody(created)), true))
                .onErrorResume(ShareRefusal.class, refusal -> refusalPage(exchange, refusal));
    }

    @RequestMapping(
            value = "/s/{token}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    Mono<Void> show(@PathVariable String token, ServerWebExchange exchange) {
        return shares.lookup(token)
                .flatMap(view ->
                        html(exchange, HttpStatus.OK, pages.page(title(view), showBody(token, view, null)), false))
                .onErrorResume(ShareRefusal.class, refusal -> refusalPage(exchange, refusal));
    }

    /** The button: reveals a text (its read is used), or sends the browser to the file's download. */
    @PostMapping("/s/{token}")
    Mono<Void> reveal(@PathVariable String token, ServerWebExchange exchange) {
        return exchange.getFormData()
                .flatMap(form -> shares.read(token, form.getFirst("password")))
                .flatMap(read -> {
                    if (read.containsKey("text")) {
                        return html(exchange, HttpStatus.OK, pages.page("A shared text", textBody(read)), false);
                    }
                    ServerHttpResponse response = exchange.getResponse();
                    response.setStatusCode(HttpStatus.SEE_OTHER);
                    response.getHeaders()
                            .setLocation(URI.create(links.download(
                                    String.valueOf(read.get("grant_id")), String.valueOf(read.get("grant_key")))));
                    return response.setComplete();
                })
                .onErrorResume(ShareRefusal.class, refusal -> {
                    if ("wrong_password".equals(refusal.error())) {
                        return shares.lookup(token)
                                .flatMap(view -> html(
                                        exchange,
                                        HttpStatus.FORBIDDEN,
                                        pages.page(title(view), showBody(token, view, refusal)),
                                        false))
                                .onErrorResume(ShareRefusal.class, again -> refusalPage(exchange, again));
                    }
                    return refusalPage(exchange, refusal);
                });
    }

    /**
     * A file read's bytes. A single {@code Range} ({@code bytes=a-} or {@code bytes=a-b}) answers 206; what was
     * handed to the connection is reported to file-service, which uses the read once the file was delivered in full.
     */
    @RequestMapping(
            value = "/s/dl/{grant}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    Mono<Void> download(@PathVariable String grant, ServerWebExchange exchange) {
        int dot = grant.indexOf('.');
        if (dot <= 0) {
            return refusalPage(
                    exchange,
                    ShareRefusal.of(HttpStatus.UNAUTHORIZED, "invalid_token", "This download link is not valid."));
        }
        String grantId = grant.substring(0, dot);
        String grantKey = grant.substring(dot + 1);
        ServerHttpResponse response = exchange.getResponse();
        if (exchange.getRequest().getMethod() == HttpMethod.HEAD) {
            // Headers only, and nothing taken from the share: a HEAD must not spend its bytes.
            response.setStatusCode(HttpStatus.OK);
            response.getHeaders().set(HttpHeaders.ACCEPT_RANGES, "bytes");
            return response.setComplete();
        }
        long[] range = range(exchange.getRequest().getHeaders().getFirst(HttpHeaders.RANGE));
        long start = range == null ? 0 : range[0];
        Long wantedEnd = range == null || range[1] < 0 ? null : range[1] + 1;
        return shares.content(grantId, grantKey, start, wantedEnd)
                .flatMap(entity -> {
                    HttpHeaders upstream = entity.getHeaders();
                    long size = Long.parseLong(upstream.getFirst("X-Share-Size"));
                    long end = start + upstream.getContentLength();
                    long length = end - start;
                    HttpHeaders headers = response.getHeaders();
                    headers.setContentLength(length);
                    headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
                    headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
                    String name = upstream.getFirst("X-Share-Name");
                    headers.setContentDisposition(ContentDisposition.attachment()
                            .filename(
                                    name == null ? "shared-file" : URLDecoder.decode(name, StandardCharsets.UTF_8),
                                    StandardCharsets.UTF_8)
                            .build());
                    String sha256 = upstream.getFirst("X-Share-Sha256");
                    if (sha256 != null) {
                        headers.setETag("\"" + sha256 + "\"");
                    }
                    if (range != null) {
                        response.setStatusCode(HttpStatus.PARTIAL_CONTENT);
                        headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + (end - 1) + "/" + size);
                    } else {
                        response.setStatusCode(HttpStatus.OK);
                    }
                    AtomicLong sent = new AtomicLong();
                    Flux<DataBuffer> body = DataBufferUtils.takeUntilByteCount(entity.getBody(), length)
                            .doOnNext(buffer -> sent.addAndGet(buffer.readableByteCount()));
                    return response.writeWith(body)
                            .doFinally(signal -> shares.delivered(
                                    grantId,
                                    start,
                                    start + length,
                                    Math.min(sent.get(), length),
                                    signal == SignalType.ON_COMPLETE && sent.get() >= length));
                })
                .onErrorResume(ShareRefusal.class, refusal -> {
                    if (response.isCommitted()) {
                        return Mono.error(refusal);
                    }
                    if ("validation_failed".equals(refusal.error())) {
                        return refusalPage(
                                exchange,
                                ShareRefusal.of(
                                        HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                                        "range_not_satisfiable",
                                        "That range is outside the file."));
                    }
                    return refusalPage(exchange, refusal);
                });
    }

    /** {@code [start, endInclusive]} of a single range ({@code -1} = to the end), or null for none or another form. */
    static long[] range(String header) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash <= 0) {
            return null; // a suffix range (bytes=-n) or garbage: the whole file
        }
        try {
            long start = Long.parseLong(spec.substring(0, dash));
            String last = spec.substring(dash + 1);
            long end = last.isEmpty() ? -1 : Long.parseLong(last);
            return end >= 0 && end < start ? null : new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- page bodies

    private String formBody() {
        return "<h1>Share a secret</h1>"
                + "<p class=\"note\">Paste a text or choose a file. You get a link that works a set number of times"
                + " and is deleted after its last read or when it expires. It is encrypted at rest; without the link"
                + " nobody, not even this server's operators, can read it.</p>"
                + "<form id=\"share-form\" method=\"post\" action=\"/share\" enctype=\"multipart/form-data\">"
                + "<label for=\"text\">Text</label>"
                + "<textarea id=\"text\" name=\"text\" rows=\"8\" spellcheck=\"false\"></textarea>"
                + "<label for=\"file\">or a file</label><input id=\"file\" name=\"file\" type=\"file\">"
                + "<label for=\"expires_in\">Expires after</label><select id=\"expires_in\" name=\"expires_in\">"
                + "<option value=\"300\">5 minutes</option><option value=\"3600\">1 hour</option>"
                + "<option value=\"86400\" selected>24 hours</option><option value=\"604800\">7 days</option>"
                + "</select>"
                + "<label for=\"max_reads\">Reads allowed</label>"
                + "<input id=\"max_reads\" name=\"max_reads\" type=\"number\" min=\"1\" max=\"100\" value=\"1\">"
                + "<label for=\"password\">Password (optional)</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">"
                + "<div><button type=\"submit\">Create link</button></div>"
                + "<progress id=\"progress\" max=\"100\" value=\"0\" hidden></progress></form>"
                + "<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>"
                + "<div id=\"result\" hidden><label for=\"link\">Your link</label>"
                + "<input id=\"link\" readonly>"
                + "<button type=\"button\" id=\"copy\" hidden>Copy link</button>"
                + "<p class=\"note\">Expires <span id=\"result-expiry\"></span>; reads allowed:"
                + " <span id=\"result-reads\"></span>.</p></div>"
                + "<script>" + SCRIPT + "</script>";
    }

    /** {@code creators: api-key}: no form, but how a seller shares. */
    private String sellersOnlyBody() {
        return "<h1>Share a secret</h1>"
                + "<p>Sharing on this server is for its sellers. With an API key that has the <code>"
                + ShareCreators.SCOPE + "</code> scope (made in the console):</p>"
                + "<pre>curl -H 'Authorization: Bearer dbk_...' -F text='...' -F max_reads=1 \\\n"
                + "     " + escape(links.create()) + "</pre>"
                + "<p class=\"note\">Someone who sent you a link: open it, you need no key to read.</p>";
    }

    private String createdBody(Map<String, Object> created) {
        String link = links.share(String.valueOf(created.get("token")));
        return "<h1>Your link</h1><label for=\"link\">Send this link to the recipient</label>"
                + "<input id=\"link\" readonly value=\"" + escape(link) + "\">"
                + "<div class=\"meta\"><span>Expires <strong>" + escape(expiry(created.get("expires_at")))
                + "</strong></span><span>Reads allowed <strong>" + escape(String.valueOf(created.get("max_reads")))
                + "</strong></span></div>"
                + "<p class=\"note\">This is the only time the link is shown. Opening it shows what it holds; the"
                + " content is revealed only by the button on that page.</p>"
                + "<p><a href=\"/share\">Share something else</a></p>";
    }

    private static String title(Map<String, Object> view) {
        return "text".equals(view.get("kind")) ? "Someone shared a text with you" : "Someone shared a file with you";
    }

    private String showBody(String token, Map<String, Object> view, ShareRefusal refusal) {
        boolean text = "text".equals(view.get("kind"));
        boolean locked = Boolean.TRUE.equals(view.get("locked"));
        StringBuilder body =
                new StringBuilder("<h1>").append(escape(title(view))).append("</h1>");
        if (!text) {
            long size = ((Number) view.get("size")).longValue();
            body.append("<table><thead><tr><th>File</th><th>Size</th></tr></thead><tbody><tr><td>")
                    .append(escape(view.get("name") == null ? "(no name)" : String.valueOf(view.get("name"))))
                    .append("</td><td class=\"size\" title=\"")
                    .append(NumberFormat.getIntegerInstance(Locale.ENGLISH).format(size))
                    .append(" bytes\">")
                    .append(escape(HtmlPages.humanSize(size)))
                    .append("</td></tr></tbody></table>");
        }
        body.append("<div class=\"meta\"><span>Expires <strong>")
                .append(escape(expiry(view.get("expires_at"))))
                .append("</strong></span><span>Reads left <strong>")
                .append(escape(String.valueOf(view.get("reads_left"))))
                .append("</strong></span></div>");
        if (locked) {
            body.append("<p>Too many wrong passwords were tried: this share is locked. It is kept until it expires;"
                    + " ask the sender to share it again.</p>");
            return body.toString();
        }
        if (refusal != null) {
            body.append("<p class=\"error\" role=\"alert\">").append(escape(refusal.detail()));
            if (refusal.triesLeft() != null) {
                body.append(" Tries left: ").append(refusal.triesLeft()).append('.');
            }
            body.append("</p>");
        }
        body.append("<form method=\"post\" action=\"/s/").append(escape(token)).append("\">");
        if (Boolean.TRUE.equals(view.get("password_required"))) {
            body.append("<label for=\"password\">Password</label>")
                    .append("<input id=\"password\" name=\"password\" type=\"password\" required"
                            + " autocomplete=\"off\">")
                    .append("<p class=\"note\">")
                    .append(escape(String.valueOf(view.get("tries_left"))))
                    .append(" tries left; after that the share is locked.</p>");
        }
        body.append("<div><button type=\"submit\">")
                .append(text ? "Reveal the text" : "Download the file")
                .append("</button></div></form>");
        body.append("<p class=\"note\">")
                .append(
                        "1".equals(String.valueOf(view.get("reads_left")))
                                ? "This is the last read: after it, the share is deleted."
                                : "Each read uses one of the reads left.")
                .append("</p>");
        return body.toString();
    }

    private static String textBody(Map<String, Object> read) {
        int left = read.get("reads_left") instanceof Number n ? n.intValue() : 0;
        return "<h1>A shared text</h1><pre id=\"shared-text\">"
                + escape(String.valueOf(read.get("text"))) + "</pre><p class=\"note\">"
                + (left == 0
                        ? "This was the last read: the text has been deleted from the server. Copy it now."
                        : "Reads left: " + left + ".")
                + "</p>";
    }

    private Mono<Void> refusalPage(ServerWebExchange exchange, ShareRefusal refusal) {
        String title =
                switch (refusal.error()) {
                    case "share_gone" -> "This share has been read or has expired";
                    case "invalid_token" -> "This link is not valid";
                    case "share_locked" -> "This share is locked";
                    case "wrong_password" -> "Wrong password";
                    default -> "The share could not be handled";
                };
        HttpStatus status = "invalid_token".equals(refusal.error()) ? HttpStatus.NOT_FOUND : refusal.status();
        String body = "<h1>" + escape(title) + "</h1><p>" + escape(refusal.detail()) + "</p>"
                + "<p class=\"status\">" + status.value() + " " + escape(status.getReasonPhrase()) + " · "
                + escape(refusal.error()) + "</p>";
        return html(exchange, status, pages.page(title, body), false);
    }

    private Mono<Void> html(ServerWebExchange exchange, HttpStatus status, String html, boolean withScript) {
        ServerHttpResponse response = exchange.getResponse();
        if (withScript) {
            // After the security headers filter's own (commit actions run in order): this page may run its script.
            response.beforeCommit(() -> {
                response.getHeaders().set("Content-Security-Policy", contentSecurityPolicy);
                return Mono.empty();
            });
        }
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        response.getHeaders().setContentLength(bytes.length);
        if (exchange.getRequest().getMethod() == HttpMethod.HEAD) {
            return response.setComplete();
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    private static String expiry(Object value) {
        try {
            return EXPIRY.format(Instant.parse(String.valueOf(value)));
        } catch (RuntimeException e) {
            return String.valueOf(value);
        }
    }

    private static String sha256Base64(String text) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
