package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.GrantedItem;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

class LandingPageIT extends GatewayIntegrationSupport {

    private final Instant inAWeek = Instant.now().plus(Duration.ofDays(7));
    private final GrantedItem macBuild = new GrantedItem(
            UUID.randomUUID(),
            "objects/mac.dmg",
            "Acme.dmg",
            4096,
            "ab".repeat(32),
            "application/octet-stream",
            "macos",
            null);

    @Test
    void theLandingPageShowsWhatTheLinkHoldsInTheSellersColours() {
        String token = newToken();
        FakeTokenService.details(token, "active", inAWeek, 3, List.of(TestObjects.big, TestObjects.tool));

        EntityExchangeResult<String> result = http.get()
                .uri("/d/" + token)
                .accept(MediaType.TEXT_HTML)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .returnResult();

        assertThat(result.getResponseBody())
                .contains(
                        "Acme Tools",
                        "Acme Toolkit &lt;Pro&gt;",
                        "Ünïcode big file.bin",
                        "tool.exe",
                        TestObjects.big.sha256(),
                        TestObjects.tool.sha256(),
                        "16.0 MB",
                        "Downloads left <strong>3</strong>",
                        "#aa3300",
                        "<form method=\"post\" action=\"/d/" + token + "\">",
                        "<option value=\"windows\">",
                        "<option value=\"linux\">",
                        ">Download</button>",
                        "one ZIP archive")
                .doesNotContain("<script", "<img", "<link", "Acme Toolkit <Pro>");
        assertSecurityHeaders(result.getResponseHeaders());
    }

    @Test
    void aGermanBuyerOnAMacSeesTheProductsBrandingInGermanWithMacosPreselected() {
        String token = newToken();
        Map<String, Object> branding = new LinkedHashMap<>();
        branding.put("displayName", "Acme Studio <Deluxe>");
        branding.put("logoUrl", "https://cdn.acme.example:8443/logo.png?v=2&size=40");
        branding.put("accentColour", "#0B5394");
        branding.put("supportEmail", "help@acme.example");
        FakeTokenService.details(
                token, "active", inAWeek, 3, List.of(TestObjects.big, TestObjects.tool, macBuild), branding);

        EntityExchangeResult<String> result = http.get()
                .uri("/d/" + token)
                .accept(MediaType.TEXT_HTML)
                .header(HttpHeaders.ACCEPT_LANGUAGE, "fr-CH;q=0.9, de-AT;q=0.8, en;q=0.5")
                .header(HttpHeaders.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0")
                .header("Sec-CH-UA-Platform", "\"macOS\"")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.CONTENT_LANGUAGE, "de")
                .expectHeader()
                .valueEquals("Accept-CH", "Sec-CH-UA-Platform")
                .expectBody(String.class)
                .returnResult();

        String page = result.getResponseBody();
        assertThat(page)
                .contains(
                        "<html lang=\"de\">",
                        "<h1>Acme Studio &lt;Deluxe&gt;</h1>",
                        "Verbleibende Downloads <strong>3</strong>",
                        "16,0 MB",
                        ">Herunterladen</button>",
                        "<option value=\"\">Alle Dateien</option>",
                        "<option value=\"macos\" selected>macOS (Ihr System)</option>",
                        "<option value=\"windows\">Windows</option>",
                        ":root{--accent:#0b5394}",
                        "mailto:help@acme.example",
                        "Fragen? Schreiben Sie an")
                .doesNotContain("Acme Studio <Deluxe>", "Download</button>", "<script");
        // The logo is an https URL, escaped into its attribute (a URL with quotes or spaces is not shown at all).
        assertThat(page).contains("src=\"https://cdn.acme.example:8443/logo.png?v=2&amp;size=40\"");
        HttpHeaders headers = result.getResponseHeaders();
        assertSecurityHeaders(headers);
        String policy = headers.getFirst("Content-Security-Policy");
        assertThat(policy).contains("img-src https://cdn.acme.example:8443;");
        assertThat(policy.replaceAll(".*style-src ([^;]*);.*", "$1").split(" "))
                .as("the seller's stylesheet and the product's accent, each by hash")
                .hasSize(2)
                .allSatisfy(source -> assertThat(source).startsWith("'sha256-"));
        assertThat(headers.get(HttpHeaders.VARY))
                .contains(HttpHeaders.ACCEPT_LANGUAGE, HttpHeaders.USER_AGENT, "Sec-CH-UA-Platform");
    }

    @Test
    void brandingThatIsNotSafeToShowFallsBackToTheSellersLook() {
        String token = newToken();
        Map<String, Object> branding = new LinkedHashMap<>();
        branding.put("logoUrl", "http://plain.example/logo.png");
        branding.put("accentColour", "#ffd700");
        branding.put("supportEmail", "x\"><script>@example.com");
        FakeTokenService.details(token, "active", inAWeek, 1, List.of(TestObjects.tool), branding);

        EntityExchangeResult<String> result = http.get()
                .uri("/d/" + token)
                .accept(MediaType.TEXT_HTML)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult();

        assertThat(result.getResponseBody())
                .contains("<html lang=\"en\">", "#aa3300", "Acme Toolkit &lt;Pro&gt;")
                .doesNotContain("<img", "#ffd700", "mailto:", "<script");
        assertThat(result.getResponseHeaders().getFirst("Content-Security-Policy"))
                .doesNotContain("img-src");
    }

    @Test
    void aRefusedLinkOfABrandedProductSaysWhyInTheBuyersLanguageWithItsSupportAddress() {
        String token = newToken();
        FakeTokenService.details(
                token, "revoked", inAWeek, 3, List.of(TestObjects.tool), Map.of("supportEmail", "help@acme.example"));

        String page = http.get()
                .uri("/d/" + token)
                .header(HttpHeaders.ACCEPT_LANGUAGE, "de")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.GONE)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(page).contains("<html lang=\"de\">", "Dieser Link wurde widerrufen", "mailto:help@acme.example");
    }

    @Test
    void openingTheLinkNeverRedeemsIt() {
        String token = newToken();
        FakeTokenService.details(token, "active", inAWeek, 1, List.of(TestObjects.tool));
        tokenService.grants(token, List.of(TestObjects.tool), 0);

        for (String agent : List.of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0",
                "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                "Microsoft Office/16.0 (SafeLinks)",
                "curl/8.5.0")) {
            http.get()
                    .uri("/d/" + token)
                    .header(HttpHeaders.USER_AGENT, agent)
                    .exchange()
                    .expectStatus()
                    .isOk();
            http.head()
                    .uri("/d/" + token)
                    .header(HttpHeaders.USER_AGENT, agent)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .isEmpty();
        }

        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> tokenService.requestsFor(token).isEmpty());
    }

    @Test
    void eachViewOfTheLandingPageIsRecordedForTheAuditTrailWithoutTheToken() {
        String token = newToken();
        FakeTokenService.details(token, "active", inAWeek, 2, List.of(TestObjects.tool));

        http.get()
                .uri("/d/" + token)
                .header(HttpHeaders.USER_AGENT, "Slackbot-LinkExpanding 1.0")
                .exchange()
                .expectStatus()
                .isOk();
        http.head().uri("/d/" + token).exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> tokenService.viewsOf(token).size() == 2);
        assertThat(tokenService.viewsOf(token))
                .extracting(io.drawbridge.events.LinkViewed::method)
                .containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(tokenService.viewsOf(token))
                .anySatisfy(view -> assertThat(view.userAgent()).isEqualTo("Slackbot-LinkExpanding 1.0"))
                .allSatisfy(view -> assertThat(view.toString()).doesNotContain(token));
        assertThat(tokenService.requestsFor(token)).isEmpty();
    }

    @Test
    void anUnknownLinkIsAPlain404Page() {
        String token = newToken();

        String page = http.get()
                .uri("/d/" + token)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(page).contains("This link is not valid", "404 Not Found");
        http.get().uri("/d/not-a-token").exchange().expectStatus().isNotFound();
    }

    @Test
    void revokedExpiredAndUsedUpLinksSayWhyWithTheirStatus() {
        String revoked = newToken();
        String expired = newToken();
        String pastExpiry = newToken();
        String exhausted = newToken();
        FakeTokenService.details(revoked, "revoked", inAWeek, 3, List.of(TestObjects.tool));
        FakeTokenService.details(expired, "expired", inAWeek, 3, List.of(TestObjects.tool));
        FakeTokenService.details(pastExpiry, "active", Instant.now().minusSeconds(5), 3, List.of(TestObjects.tool));
        FakeTokenService.details(exhausted, "exhausted", inAWeek, 0, List.of(TestObjects.tool));

        assertThat(page(revoked, HttpStatus.GONE)).contains("This link has been cancelled", "410 Gone");
        assertThat(page(expired, HttpStatus.GONE)).contains("This link has expired", "410 Gone");
        assertThat(page(pastExpiry, HttpStatus.GONE)).contains("This link has expired");
        assertThat(page(exhausted, HttpStatus.TOO_MANY_REQUESTS)).contains("No downloads left");
    }

    @Test
    void whenTokenServiceFailsThePageSaysTryAgainLater() {
        String token = newToken();
        FakeTokenService.detailsBroken(token);

        http.get()
                .uri("/d/" + token)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("Temporarily unavailable"));
    }

    private String page(String token, HttpStatus status) {
        return http.get()
                .uri("/d/" + token)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
