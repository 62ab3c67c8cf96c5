package io.drawbridge.order.stripe.client;

import io.drawbridge.order.config.OrderSyncProperties;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two Stripe API calls the service needs, authenticated with the secret API key: listing events (for
 * reconciliation) and a Checkout Session's line items (webhook payloads do not carry them). Both page with
 * Stripe's cursor scheme ({@code limit}, {@code starting_after}, {@code has_more}).
 */
@Component
public class StripeApi {

    private final WebClient client;
    private final OrderSyncProperties.Stripe properties;
    private final JsonMapper json;

    public StripeApi(OrderSyncProperties properties, JsonMapper json) {
        this.properties = properties.stripe();
        this.json = json;
        this.client = WebClient.builder()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
    }

    public boolean configured() {
        return properties.hasApiKey();
    }

    /** Every event of {@code types} created after {@code createdAfter}, newest first, all pages. */
    public Flux<JsonNode> events(List<String> types, Instant createdAfter, int pageSize) {
        return pages(startingAfter -> {
            UriComponentsBuilder uri = UriComponentsBuilder.fromUri(properties.apiBaseUrl())
                    .path("/v1/events")
                    .queryParam("limit", pageSize)
                    .queryParam("created[gt]", createdAfter.getEpochSecond());
            types.forEach(type -> uri.queryParam("types[]", type));
            if (startingAfter != null) {
                uri.queryParam("starting_after", startingAfter);
            }
            return uri.encode().build().toUri();
        });
    }

    /** A Checkout Session's line items with their prices and products expanded, all pages. */
    public Flux<JsonNode> checkoutLineItems(String sessionId) {
        return pages(startingAfter -> {
            UriComponentsBuilder uri = UriComponentsBuilder.fromUri(properties.apiBaseUrl())
                    .path("/v1/checkout/sessions/{id}/line_items")
                    .queryParam("limit", 100)
                    .queryParam("expand[]", "data.price.product");
            if (startingAfter != null) {
                uri.queryParam("starting_after", startingAfter);
            }
            return uri.encode().buildAndExpand(sessionId).toUri();
        });
    }

    private Flux<JsonNode> pages(Function<String, URI> pageUri) {
        return page(pageUri.apply(null))
                .expand(page -> {
                    JsonNode data = page.path("data");
                    if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                        return Mono.empty();
                    }
                    return page(
                            pageUri.apply(data.get(data.size() - 1).path("id").asString()));
                })
                .concatMapIterable(page -> page.path("data"));
    }

    private Mono<JsonNode> page(URI uri) {
        if (!configured()) {
            return Mono.error(new StripeApiException("no Stripe API key configured (STRIPE_API_KEY)"));
        }
        return client.get()
                .uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .onStatus(
                        HttpStatusCode::isError,
                        response -> Mono.just(new StripeApiException(
                                "Stripe answered " + response.statusCode().value() + " to GET " + uri.getPath())))
                .bodyToMono(String.class)
                .timeout(properties.requestTimeout())
                .map(body -> {
                    JsonNode node = json.readTree(body);
                    if (!node.path("data").isArray()) {
                        throw new StripeApiException("Stripe answered a list without data to GET " + uri.getPath());
                    }
                    return node;
                });
    }
}
