package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.pages.AdminApi.ApiRefusal;
import io.drawbridge.console.pages.AdminApi.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Files (list, search, scan status, SHA-256; direct upload: the browser PUTs the bytes straight to S3 with the
 * presigned URLs file-service hands out, in parallel parts, then asks the console to complete) and products with
 * their releases (create a product, publish a release with a file per platform, see the current version).
 */
@Controller
class CatalogPages {

    private final AdminApi api;
    private final ActionLog actions;

    CatalogPages(AdminApi api, ActionLog actions) {
        this.api = api;
        this.actions = actions;
    }

    @GetMapping("/files")
    Mono<String> files(
            @RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "0") int page, Model model) {
        int size = 25;
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("q", q);
        query.add("page", Integer.toString(Math.max(0, page)));
        query.add("size", Integer.toString(size));
        model.addAttribute("q", q);
        return api.get(Target.FILES, "/api/v1/files", query)
                .map(answer -> {
                    model.addAttribute("items", LinksPages.items(answer));
                    model.addAttribute("paging", Paging.of(answer, Math.max(0, page), size));
                    return "files";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("items", List.of());
                    model.addAttribute("paging", new Paging(0, size, 0));
                    model.addAttribute("error", refusal.message());
                    return Mono.just("files");
                });
    }

    record StartUpload(String name, Long size, String contentType) {}

    record CompleteUpload(String sha256) {}

    /** The browser's first step: where to PUT the bytes (one URL, or one per part). */
    @PostMapping("/files/uploads")
    @ResponseBody
    Mono<ResponseEntity<Map<String, Object>>> startUpload(
            @RequestBody StartUpload request, ServerWebExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name());
        body.put("size", request.size());
        body.put(
                "content_type",
                request.contentType() == null || request.contentType().isBlank()
                        ? "application/octet-stream"
                        : request.contentType());
        return LinksPages.user(exchange)
                .flatMap(user -> api.post(Target.FILES, "/api/v1/uploads", body).flatMap(started -> actions.record(
                                user,
                                "upload.started",
                                String.valueOf(started.get("id")),
                                request.name() + " (" + request.size() + " bytes)")
                        .thenReturn(ResponseEntity.ok(started))))
                .onErrorResume(
                        ApiRefusal.class,
                        refusal -> Mono.just(ResponseEntity.status(refusal.status)
                                .body(Map.of("error", refusal.error, "detail", refusal.detail))));
    }

    /** The browser's last step, after every part was PUT: file-service checks the size, hashes and records it. */
    @PostMapping("/files/uploads/{id}/complete")
    @ResponseBody
    Mono<ResponseEntity<Map<String, Object>>> completeUpload(
            @PathVariable String id,
            @RequestBody(required = false) CompleteUpload request,
            ServerWebExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (request != null && request.sha256() != null && !request.sha256().isBlank()) {
            body.put("sha256", request.sha256());
        }
        return LinksPages.user(exchange)
                .flatMap(user -> api.post(Target.FILES, "/api/v1/uploads/" + id + "/complete", body)
                        .flatMap(file -> actions.record(
                                        user,
                                        "file.uploaded",
                                        String.valueOf(file.get("id")),
                                        file.get("name") + " sha256 " + file.get("sha256"))
                                .thenReturn(ResponseEntity.ok(file))))
                .onErrorResume(
                        ApiRefusal.class,
                        refusal -> Mono.just(ResponseEntity.status(refusal.status)
                                .body(Map.of("error", refusal.error, "detail", refusal.detail))));
    }

    @GetMapping("/releases")
    Mono<String> releases(Model model) {
        MultiValueMap<String, String> recent = new LinkedMultiValueMap<>();
        recent.add("size", "100");
        return Mono.zip(
                        api.get(Target.FILES, "/api/v1/products", recent),
                        api.get(Target.FILES, "/api/v1/files", recent))
                .map(both -> {
                    model.addAttribute("products", LinksPages.items(both.getT1()));
                    model.addAttribute("files", LinksPages.items(both.getT2()));
                    return "releases";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("products", List.of());
                    model.addAttribute("files", List.of());
                    model.addAttribute("error", refusal.message());
                    return Mono.just("releases");
                });
    }

    @PostMapping("/products")
    Mono<String> createProduct(ServerWebExchange exchange) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            String sku = both.getT1().getFirst("sku");
            return api.post(
                            Target.FILES,
                            "/api/v1/products",
                            Map.of("sku", sku, "name", both.getT1().getFirst("name")))
                    .then(actions.record(
                            both.getT2(), "product.created", sku, both.getT1().getFirst("name")))
                    .thenReturn("redirect:/releases?created="
                            + java.net.URLEncoder.encode(sku, java.nio.charset.StandardCharsets.UTF_8))
                    .onErrorResume(
                            ApiRefusal.class, refusal -> Mono.just("redirect:/releases?failed=" + refusal.error));
        });
    }

    /** How a product looks on the buyer's page: its branding, in a form filled with what is set now. */
    @GetMapping("/products/{sku}/branding")
    Mono<String> branding(@PathVariable String sku, Model model) {
        model.addAttribute("sku", sku);
        return api.get(Target.FILES, "/api/v1/products/" + encode(sku), new LinkedMultiValueMap<>())
                .map(product -> {
                    model.addAttribute("product", product);
                    Object branding = product.get("branding");
                    model.addAttribute("branding", branding instanceof Map<?, ?> map ? map : Map.of());
                    return "branding";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("product", Map.of("sku", sku, "name", sku));
                    model.addAttribute("branding", Map.of());
                    model.addAttribute("error", refusal.message());
                    return Mono.just("branding");
                });
    }

    /**
     * Saves the branding (file-service checks it: an https logo URL, an accent with AA contrast for white text, an
     * address); a refusal shows the form again with the seller's values and the reason.
     */
    @PostMapping("/products/{sku}/branding")
    Mono<String> saveBranding(@PathVariable String sku, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            MultiValueMap<String, String> form = both.getT1();
            Map<String, Object> branding = new LinkedHashMap<>();
            for (String field : List.of("display_name", "logo_url", "accent_colour", "support_email")) {
                String value = form.getFirst(field);
                if (value != null && !value.isBlank()) {
                    branding.put(field, value.strip());
                }
            }
            return api.put(Target.FILES, "/api/v1/products/{sku}/branding", branding, sku)
                    .then(actions.record(both.getT2(), "product.branded", sku, branding.toString()))
                    .thenReturn("redirect:/products/" + encode(sku) + "/branding?saved")
                    .onErrorResume(ApiRefusal.class, refusal -> {
                        model.addAttribute("sku", sku);
                        model.addAttribute("product", Map.of("sku", sku, "name", sku));
                        model.addAttribute("branding", branding);
                        model.addAttribute("error", refusal.message());
                        return Mono.just("branding");
                    });
        });
    }

    private static String encode(String sku) {
        return org.springframework.web.util.UriUtils.encodePathSegment(sku, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Publishes a release: one file per platform chosen in the form (windows, macos, linux, any). */
    @PostMapping("/releases")
    Mono<String> publish(ServerWebExchange exchange) {
        return exchange.getFormData().zipWith(LinksPages.user(exchange)).flatMap(both -> {
            MultiValueMap<String, String> form = both.getT1();
            String sku = form.getFirst("sku");
            Map<String, Object> files = new LinkedHashMap<>();
            for (String platform : List.of("windows", "macos", "linux", "any")) {
                String fileId = form.getFirst("file_" + platform);
                if (fileId != null && !fileId.isBlank()) {
                    files.put(platform, fileId);
                }
            }
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("version", form.getFirst("version"));
            request.put("notes", form.getFirst("notes"));
            request.put("files", files);
            return api.post(Target.FILES, "/api/v1/products/" + sku + "/releases", request)
                    .then(actions.record(
                            both.getT2(), "release.published", sku + " " + form.getFirst("version"), files.toString()))
                    .thenReturn("redirect:/releases?published="
                            + java.net.URLEncoder.encode(sku, java.nio.charset.StandardCharsets.UTF_8))
                    .onErrorResume(
                            ApiRefusal.class, refusal -> Mono.just("redirect:/releases?failed=" + refusal.error));
        });
    }
}
