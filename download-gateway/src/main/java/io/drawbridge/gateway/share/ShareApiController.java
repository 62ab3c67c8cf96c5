package io.drawbridge.gateway.share;

import io.drawbridge.gateway.config.GatewayProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The script API of one-time shares: create ({@code POST /api/v1/shares}, multipart, streamed through to
 * file-service), look at ({@code GET}, never consumes) and read ({@code POST /api/v1/shares/read}). Refusals are
 * RFC 9457 problem documents with the codes of the issue: 401 {@code invalid_token}, 403 {@code wrong_password} (with
 * {@code tries_left}), 423 {@code share_locked}, 410 {@code share_gone}.
 */
@RestController
@RequestMapping("/api/v1/shares")
class ShareApiController {

    private final ShareClient shares;
    private final ShareLinks links;
    private final ShareCreators creators;

    ShareApiController(ShareClient shares, ShareLinks links, ShareCreators creators) {
        this.shares = shares;
        this.links = links;
        this.creators = creators;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> create(ServerHttpRequest request) {
        return creators.check(request)
                .then(Mono.defer(() -> shares.create(
                        request.getHeaders().getContentType(),
                        request.getHeaders().getContentLength(),
                        request.getBody())))
                .map(created -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", created.get("id"));
                    body.put("link", links.share(String.valueOf(created.get("token"))));
                    body.put("expires_at", created.get("expires_at"));
                    body.put("max_reads", created.get("max_reads"));
                    return ResponseEntity.status(HttpStatus.CREATED).body(body);
                })
                .onErrorResume(ShareRefusal.class, ShareApiController::problem);
    }

    @GetMapping("/{token}")
    Mono<ResponseEntity<Map<String, Object>>> describe(@PathVariable String token) {
        return shares.lookup(token)
                .map(ResponseEntity::ok)
                .onErrorResume(ShareRefusal.class, ShareApiController::problem);
    }

    record ReadRequest(String token, String password) {}

    @PostMapping("/read")
    Mono<ResponseEntity<Map<String, Object>>> read(@RequestBody ReadRequest request) {
        return shares.read(request.token(), request.password())
                .map(read -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    if (read.containsKey("text")) {
                        body.put("text", read.get("text"));
                        body.put("reads_left", read.get("reads_left"));
                    } else {
                        body.put(
                                "download_url",
                                links.download(
                                        String.valueOf(read.get("grant_id")), String.valueOf(read.get("grant_key"))));
                        body.put("name", read.get("name"));
                        body.put("size", read.get("size"));
                        body.put("sha256", read.get("sha256"));
                        body.put("expires_at", read.get("expires_at"));
                    }
                    return ResponseEntity.ok(body);
                })
                .onErrorResume(ShareRefusal.class, ShareApiController::problem);
    }

    static Mono<ResponseEntity<Map<String, Object>>> problem(ShareRefusal refusal) {
        return Mono.just(ResponseEntity.status(refusal.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(refusal.problem()));
    }

    /** Absolute links from the configured public URL. */
    @org.springframework.stereotype.Component
    static class ShareLinks {
        private final String base;

        ShareLinks(GatewayProperties properties) {
            String url = properties.publicUrl().toString();
            this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        String create() {
            return base + "/api/v1/shares";
        }

        String share(String token) {
            return base + "/s/" + token;
        }

        String download(String grantId, String grantKey) {
            return base + "/s/dl/" + grantId + "." + grantKey;
        }
    }
}
