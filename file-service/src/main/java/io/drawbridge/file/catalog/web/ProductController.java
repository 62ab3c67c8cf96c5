package io.drawbridge.file.catalog.web;

import static io.drawbridge.file.shared.web.Problems.answer;

import io.drawbridge.file.catalog.domain.ProductCatalog;
import io.drawbridge.file.catalog.web.CatalogResponses.BrandingBody;
import io.drawbridge.file.catalog.web.CatalogResponses.ProductResponse;
import io.drawbridge.file.catalog.web.CatalogResponses.ReleaseResponse;
import io.drawbridge.file.catalog.web.CatalogResponses.ReleaseSummary;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.drawbridge.file.shared.web.PageResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Products and their releases. */
@RestController
@RequestMapping("/api/v1/products")
class ProductController {

    private final ProductCatalog catalog;

    ProductController(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    record CreateProduct(String sku, String name) {}

    /** {@code files}: platform → one file id, or a list of ids delivered together. */
    record PublishRelease(String version, String notes, Map<String, Object> files) {}

    @PostMapping
    Mono<ResponseEntity<ProductResponse>> create(@RequestBody CreateProduct request) {
        return answer(() -> catalog.create(request.sku(), request.name())
                .map(product -> ResponseEntity.created(URI.create("/api/v1/products/" + product.sku()))
                        .body(ProductResponse.summary(product, null))));
    }

    @GetMapping
    Mono<PageResponse<ProductResponse>> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return answer(() -> catalog.list(PageResponse.page(page), PageResponse.size(size))
                .flatMap(result -> Flux.fromIterable(result.items())
                        .concatMap(product -> catalog.currentRelease(product)
                                .map(release -> ProductResponse.summary(product, release.version()))
                                .defaultIfEmpty(ProductResponse.summary(product, null)))
                        .collectList()
                        .map(items -> new PageResponse<>(items, result.page(), result.size(), result.total()))));
    }

    @GetMapping("/{sku}")
    Mono<ProductResponse> get(@PathVariable String sku) {
        return answer(() -> catalog.find(sku).flatMap(product -> Mono.zip(
                        catalog.currentRelease(product).map(List::of).defaultIfEmpty(List.of()),
                        catalog.releases(sku).collectList())
                .map(both -> ProductResponse.detail(
                        product, both.getT1().isEmpty() ? null : both.getT1().get(0), both.getT2()))));
    }

    /** Sets how the product looks on the buyer's page; the whole branding (an absent part is unset). */
    @PutMapping("/{sku}/branding")
    Mono<ProductResponse> brand(@PathVariable String sku, @RequestBody BrandingBody request) {
        return answer(() -> catalog.brand(sku, request == null ? null : request.toBranding())
                .map(product -> ProductResponse.summary(product, null)));
    }

    @GetMapping("/{sku}/releases")
    Mono<List<ReleaseSummary>> releases(@PathVariable String sku) {
        return answer(() -> catalog.releases(sku).map(ReleaseSummary::of).collectList());
    }

    @GetMapping("/{sku}/releases/{version}")
    Mono<ReleaseResponse> release(@PathVariable String sku, @PathVariable String version) {
        return answer(() -> catalog.release(sku, version).map(ReleaseResponse::of));
    }

    @PostMapping("/{sku}/releases")
    Mono<ResponseEntity<ReleaseResponse>> publish(@PathVariable String sku, @RequestBody PublishRelease request) {
        return answer(() -> catalog.publish(sku, request.version(), request.notes(), fileIds(request.files()))
                .map(release -> ResponseEntity.created(URI.create("/api/v1/products/"
                                + UriUtils.encodePathSegment(sku, java.nio.charset.StandardCharsets.UTF_8)
                                + "/releases/"
                                + UriUtils.encodePathSegment(
                                        release.version(), java.nio.charset.StandardCharsets.UTF_8)))
                        .body(ReleaseResponse.of(release))));
    }

    /** Accepts {@code "windows": "<id>"} and {@code "windows": ["<id>", ...]}. */
    static Map<String, List<UUID>> fileIds(Map<String, Object> files) {
        if (files == null) {
            return null;
        }
        Map<String, List<UUID>> ids = new LinkedHashMap<>();
        files.forEach((platform, value) -> {
            List<UUID> list = new ArrayList<>();
            if (value instanceof String single) {
                list.add(uuid(platform, single));
            } else if (value instanceof List<?> many) {
                for (Object item : many) {
                    if (!(item instanceof String text)) {
                        throw invalid(platform);
                    }
                    list.add(uuid(platform, text));
                }
            } else {
                throw invalid(platform);
            }
            ids.put(platform, list);
        });
        return ids;
    }

    private static UUID uuid(String platform, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw invalid(platform);
        }
    }

    private static Rejection invalid(String platform) {
        return new Rejection(
                Kind.INVALID, "validation_failed", "files." + platform + " must be a file id or a list of file ids.");
    }
}
