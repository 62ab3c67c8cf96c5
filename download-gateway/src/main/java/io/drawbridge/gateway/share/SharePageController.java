package io.drawbridge.gateway.share;

import static io.drawbridge.gateway.web.HtmlPages.escape;

import io.drawbridge.gateway.share.ShareApiController.ShareLinks;
import io.drawbridge.gateway.web.BuyerText;
import io.drawbridge.gateway.web.HtmlPages;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
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
        BuyerText text = BuyerText.of(exchange.getRequest());
        String title = text.get("share.form.title");
        if (!creators.anyone()) {
            return html(exchange, text, HttpStatus.OK, pages.page(text, title, sellersOnlyBody(text)), false);
        }
        return html(exchange, text, HttpStatus.OK, pages.page(text, title, formBody(text)), true);
    }

    /** The form without JavaScript: the multipart body goes through to file-service as it arrives. */
    @PostMapping("/share")
    Mono<Void> create(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        BuyerText text = BuyerText.of(exchange.getRequest());
        return creators.check(exchange.getRequest())
                .then(Mono.defer(() -> shares.create(
                        headers.getContentType(),
                        headers.getContentLength(),
                        exchange.getRequest().getBody())))
                .flatMap(created -> html(
                        exchange,
                        text,
                        HttpStatus.CREATED,
                        pages.page(text, text.get("share.created.title"), createdBody(text, created)),
                        true))
                .onErrorResume(ShareRefusal.class, refusal -> refusalPage(exchange, refusal));
    }

    @RequestMapping(
            value = "/s/{token}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    Mono<Void> show(@PathVariable String token, ServerWebExchange exchange) {
        BuyerText text = BuyerText.of(exchange.getRequest());
        return shares.lookup(token)
                .flatMap(view -> html(
                        exchange,
                        text,
                        HttpStatus.OK,
                        pages.page(text, title(text, view), showBody(text, token, view, null)),
                        false))
                .onErrorResume(ShareRefusal.class, refusal -> refusalPage(exchange, refusal));
    }

    /** The button: reveals a text (its read is used), or sends the browser to the file's download. */
    @PostMapping("/s/{token}")
    Mono<Void> reveal(@PathVariable String token, ServerWebExchange exchange) {
        BuyerText text = BuyerText.of(exchange.getRequest());
        return exchange.getFormData()
                .flatMap(form -> shares.read(token, form.getFirst("password")))
                .flatMap(read -> {
                    if (read.containsKey("text")) {
                        return html(
                                exchange,
                                text,
                                HttpStatus.OK,
                                pages.page(text, text.get("share.text.title"), textBody(text, read)),
                                false);
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
                                        text,
                                        HttpStatus.FORBIDDEN,
                                        pages.page(text, title(text, view), showBody(text, token, view, refusal)),
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
                    ShareRefusal.of(
                            HttpStatus.UNAUTHORIZED,
                            "invalid_token",
                            BuyerText.of(exchange.getRequest()).get("share.error.badLink")));
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
                                        BuyerText.of(exchange.getRequest()).get("share.error.range")));
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

    private String formBody(BuyerText text) {
        return "<h1>" + escape(text.get("share.form.title")) + "</h1>"
                + "<p class=\"note\">" + escape(text.get("share.form.intro")) + "</p>"
                + "<form id=\"share-form\" method=\"post\" action=\"/share\" enctype=\"multipart/form-data\">"
                + "<label for=\"text\">" + escape(text.get("share.form.text")) + "</label>"
                + "<textarea id=\"text\" name=\"text\" rows=\"8\" spellcheck=\"false\"></textarea>"
                + "<label for=\"file\">" + escape(text.get("share.form.file")) + "</label>"
                + "<input id=\"file\" name=\"file\" type=\"file\">"
                + "<label for=\"expires_in\">" + escape(text.get("share.form.expiresAfter")) + "</label>"
                + "<select id=\"expires_in\" name=\"expires_in\">"
                + "<option value=\"300\">" + escape(text.get("share.form.minutes5")) + "</option>"
                + "<option value=\"3600\">" + escape(text.get("share.form.hour1")) + "</option>"
                + "<option value=\"86400\" selected>" + escape(text.get("share.form.hours24")) + "</option>"
                + "<option value=\"604800\">" + escape(text.get("share.form.days7")) + "</option>"
                + "</select>"
                + "<label for=\"max_reads\">" + escape(text.get("share.form.readsAllowed")) + "</label>"
                + "<input id=\"max_reads\" name=\"max_reads\" type=\"number\" min=\"1\" max=\"100\" value=\"1\">"
                + "<label for=\"password\">" + escape(text.get("share.form.password")) + "</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">"
                + "<div><button type=\"submit\">" + escape(text.get("share.form.create")) + "</button></div>"
                + "<progress id=\"progress\" max=\"100\" value=\"0\" hidden></progress></form>"
                + "<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>"
                + "<div id=\"result\" hidden><label for=\"link\">" + escape(text.get("share.form.yourLink"))
                + "</label><input id=\"link\" readonly>"
                + "<button type=\"button\" id=\"copy\" hidden>" + escape(text.get("share.form.copy")) + "</button>"
                + "<p class=\"note\">"
                + escape(text.get("share.form.resultNote"))
                        .replace("{0}", "<span id=\"result-expiry\"></span>")
                        .replace("{1}", "<span id=\"result-reads\"></span>")
                + "</p></div>"
                + "<script>" + SCRIPT + "</script>";
    }

    /** {@code creators: api-key}: no form, but how a seller shares. */
    private String sellersOnlyBody(BuyerText text) {
        return "<h1>" + escape(text.get("share.form.title")) + "</h1>"
                + "<p>"
                + escape(text.get("share.sellers.intro")).replace("{0}", "<code>" + ShareCreators.SCOPE + "</code>")
                + "</p>"
                + "<pre>curl -H 'Authorization: Bearer dbk_...' -F text='...' -F max_reads=1 \\\n"
                + "     " + escape(links.create()) + "</pre>"
                + "<p class=\"note\">" + escape(text.get("share.sellers.recipient")) + "</p>";
    }

    private String createdBody(BuyerText text, Map<String, Object> created) {
        String link = links.share(String.valueOf(created.get("token")));
        return "<h1>" + escape(text.get("share.created.title")) + "</h1><label for=\"link\">"
                + escape(text.get("share.created.send")) + "</label>"
                + "<input id=\"link\" readonly value=\"" + escape(link) + "\">"
                + "<div class=\"meta\"><span>" + escape(text.get("share.show.expires")) + " <strong>"
                + escape(expiry(text, created.get("expires_at")))
                + "</strong></span><span>" + escape(text.get("share.form.readsAllowed")) + " <strong>"
                + escape(String.valueOf(created.get("max_reads")))
                + "</strong></span></div>"
                + "<p class=\"note\">" + escape(text.get("share.created.onlyOnce")) + "</p>"
                + "<p><a href=\"/share\">" + escape(text.get("share.created.again")) + "</a></p>";
    }

    private static String title(BuyerText text, Map<String, Object> view) {
        return text.get("text".equals(view.get("kind")) ? "share.show.text" : "share.show.file");
    }

    private String showBody(BuyerText words, String token, Map<String, Object> view, ShareRefusal refusal) {
        boolean text = "text".equals(view.get("kind"));
        boolean locked = Boolean.TRUE.equals(view.get("locked"));
        StringBuilder body =
                new StringBuilder("<h1>").append(escape(title(words, view))).append("</h1>");
        if (!text) {
            long size = ((Number) view.get("size")).longValue();
            body.append("<table><thead><tr><th>")
                    .append(escape(words.get("landing.file")))
                    .append("</th><th>")
                    .append(escape(words.get("landing.size")))
                    .append("</th></tr></thead><tbody><tr><td>")
                    .append(escape(
                            view.get("name") == null
                                    ? words.get("share.show.noName")
                                    : String.valueOf(view.get("name"))))
                    .append("</td><td class=\"size\" title=\"")
                    .append(escape(words.get("landing.bytes", words.number(size))))
                    .append("\">")
                    .append(escape(words.size(size)))
                    .append("</td></tr></tbody></table>");
        }
        body.append("<div class=\"meta\"><span>")
                .append(escape(words.get("share.show.expires")))
                .append(" <strong>")
                .append(escape(expiry(words, view.get("expires_at"))))
                .append("</strong></span><span>")
                .append(escape(words.get("share.show.readsLeft")))
                .append(" <strong>")
                .append(escape(String.valueOf(view.get("reads_left"))))
                .append("</strong></span></div>");
        if (locked) {
            body.append("<p>").append(escape(words.get("share.show.locked"))).append("</p>");
            return body.toString();
        }
        if (refusal != null) {
            // file-service's detail is English; the headline says it in the page's language.
            body.append("<p class=\"error\" role=\"alert\">")
                    .append(escape(words.get("share.error.wrong_password")))
                    .append('.');
            if (refusal.triesLeft() != null) {
                body.append(' ').append(escape(words.get("share.show.triesLeft", refusal.triesLeft())));
            }
            body.append("</p>");
        }
        body.append("<form method=\"post\" action=\"/s/").append(escape(token)).append("\">");
        if (Boolean.TRUE.equals(view.get("password_required"))) {
            body.append("<label for=\"password\">")
                    .append(escape(words.get("share.show.password")))
                    .append("</label>")
                    .append("<input id=\"password\" name=\"password\" type=\"password\" required"
                            + " autocomplete=\"off\">")
                    .append("<p class=\"note\">")
                    .append(escape(words.get("share.show.passwordTries", view.get("tries_left"))))
                    .append("</p>");
        }
        body.append("<div><button type=\"submit\">")
                .append(escape(words.get(text ? "share.show.reveal" : "share.show.download")))
                .append("</button></div></form>");
        body.append("<p class=\"note\">")
                .append(escape(words.get(
                        "1".equals(String.valueOf(view.get("reads_left")))
                                ? "share.show.lastRead"
                                : "share.show.eachRead")))
                .append("</p>");
        return body.toString();
    }

    private static String textBody(BuyerText words, Map<String, Object> read) {
        int left = read.get("reads_left") instanceof Number n ? n.intValue() : 0;
        return "<h1>" + escape(words.get("share.text.title")) + "</h1><pre id=\"shared-text\">"
                + escape(String.valueOf(read.get("text"))) + "</pre><p class=\"note\">"
                + escape(left == 0 ? words.get("share.text.deleted") : words.get("share.text.readsLeft", left))
                + "</p>";
    }

    private Mono<Void> refusalPage(ServerWebExchange exchange, ShareRefusal refusal) {
        BuyerText text = BuyerText.of(exchange.getRequest());
        String title =
                switch (refusal.error()) {
                    case "share_gone", "invalid_token", "share_locked", "wrong_password" ->
                        text.get("share.error." + refusal.error());
                    default -> text.get("share.error.other");
                };
        HttpStatus status = "invalid_token".equals(refusal.error()) ? HttpStatus.NOT_FOUND : refusal.status();
        String body = "<h1>" + escape(title) + "</h1><p>" + escape(refusal.detail()) + "</p>"
                + "<p class=\"status\">" + status.value() + " " + escape(status.getReasonPhrase()) + " · "
                + escape(refusal.error()) + "</p>";
        return html(exchange, text, status, pages.page(text, title, body), false);
    }

    private Mono<Void> html(
            ServerWebExchange exchange, BuyerText text, HttpStatus status, String html, boolean withScript) {
        ServerHttpResponse response = exchange.getResponse();
        HtmlPages.language(exchange, text);
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

    private static String expiry(BuyerText text, Object value) {
        try {
            return text.date(Instant.parse(String.valueOf(value)));
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
