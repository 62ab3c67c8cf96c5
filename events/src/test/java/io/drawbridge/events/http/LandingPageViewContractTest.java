package io.drawbridge.events.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.ProductBranding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The landing-page view's wire shape, from token-service's side (writes) and the gateway's (reads). */
class LandingPageViewContractTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static final LandingPageView SAMPLE = new LandingPageView(
            UUID.fromString("5e0c2a9b-3f7d-4a8e-b1c6-7d2e9f4a6b02"),
            "active",
            Instant.parse("2025-03-06T08:05:00Z"),
            3,
            "App Pro",
            false,
            null,
            List.of(
                    new LandingPageView.Item(
                            "app-pro-1.2.0.dmg",
                            104_857_600,
                            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                            "macos"),
                    new LandingPageView.Item(
                            "app-pro-1.2.0.msi",
                            98_566_144,
                            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
                            "windows")),
            new ProductBranding(
                    "App Pro for Teams", "https://cdn.example.com/app-pro.png", "#0b5394", "help@example.com"));

    @Test
    void producerWritesExactlyTheGoldenJson() throws IOException {
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(SAMPLE))).isEqualTo(MAPPER.readTree(golden()));
    }

    @Test
    void consumerReadsTheGoldenJsonAndIgnoresFieldsAddedLater() throws IOException {
        ObjectNode newer = (ObjectNode) MAPPER.readTree(golden());
        newer.put("added_in_a_later_minor_version", "x");
        ((ObjectNode) newer.get("branding")).put("fontFamily", "x");

        assertThat(MAPPER.readValue(golden(), LandingPageView.class)).isEqualTo(SAMPLE);
        assertThat(MAPPER.readValue(MAPPER.writeValueAsString(newer), LandingPageView.class))
                .isEqualTo(SAMPLE);
    }

    @Test
    void aViewWithoutBrandingOrItemsReadsAsNoneAndEmpty() {
        LandingPageView plain = MAPPER.readValue(
                "{\"status\":\"active\",\"downloads_remaining\":1,\"email_required\":true}", LandingPageView.class);

        assertThat(plain.branding()).isNull();
        assertThat(plain.brandingOrNone()).isEqualTo(ProductBranding.NONE);
        assertThat(plain.items()).isEmpty();
        assertThat(plain.requiresEmail()).isTrue();
        assertThat(MAPPER.readValue("{\"status\":\"active\",\"downloads_remaining\":1}", LandingPageView.class)
                        .requiresEmail())
                .as("an older producer that leaves email_required out")
                .isFalse();
        assertThat(MAPPER.writeValueAsString(plain)).doesNotContain("branding", "product_name");
    }

    private static String golden() throws IOException {
        try (InputStream in = LandingPageViewContractTest.class.getResourceAsStream("/http/v1/LandingPageView.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
