package io.drawbridge.file.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.Topics;
import io.drawbridge.file.support.EventProbe;
import io.drawbridge.file.support.FileServiceTestSupport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

class ProductBrandingIT extends FileServiceTestSupport {

    @Test
    void aProductsBrandingIsStoredShownAndAnnouncedToTheCatalog() {
        String sku = "brand-" + UUID.randomUUID().toString().substring(0, 8);
        createProduct(sku, "Brand App").expectStatus().isCreated();
        Map<String, Object> branding = new LinkedHashMap<>();
        branding.put("display_name", "  Brand App Deluxe ");
        branding.put("logo_url", "https://cdn.example.com/brand.png");
        branding.put("accent_colour", "#0B5394");
        branding.put("support_email", "help@example.com");

        admin().put()
                .uri("/api/v1/products/{sku}/branding", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(branding)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.branding.display_name")
                .isEqualTo("Brand App Deluxe")
                .jsonPath("$.branding.accent_colour")
                .isEqualTo("#0b5394");
        admin().get()
                .uri("/api/v1/products/{sku}", sku)
                .exchange()
                .expectBody()
                .jsonPath("$.branding.logo_url")
                .isEqualTo("https://cdn.example.com/brand.png")
                .jsonPath("$.branding.support_email")
                .isEqualTo("help@example.com");

        try (EventProbe releases = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.RELEASES)) {
            JsonNode event = releases.await(sku, "ProductBrandingChanged");
            assertThat(event.get("branding").get("displayName").asString()).isEqualTo("Brand App Deluxe");
            assertThat(event.get("branding").get("accentColour").asString()).isEqualTo("#0b5394");
        }
    }

    @Test
    void unsafeOrUnreadableBrandingIsRefusedWithEveryReasonAndNothingChanges() {
        String sku = "brand-" + UUID.randomUUID().toString().substring(0, 8);
        createProduct(sku, "Brand App").expectStatus().isCreated();

        admin().put()
                .uri("/api/v1/products/{sku}/branding", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "logo_url", "javascript:alert(1)",
                        "accent_colour", "#ffd700",
                        "support_email", "not an address"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed")
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail)
                        .contains("logo_url", "https", "accent_colour", ":1", "4.5:1", "support_email"));
        admin().get()
                .uri("/api/v1/products/{sku}", sku)
                .exchange()
                .expectBody()
                .jsonPath("$.branding")
                .doesNotExist();
        admin().put()
                .uri("/api/v1/products/{sku}/branding", "no-such-product")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("display_name", "x"))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec createProduct(
            String sku, String name) {
        return admin().post()
                .uri("/api/v1/products")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sku", sku, "name", name))
                .exchange();
    }
}
