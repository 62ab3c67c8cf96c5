package io.drawbridge.gateway.landing;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.Platform;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class BuyerPlatformTest {

    private static final String MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private static final String WINDOWS_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static HttpHeaders headers(String userAgent, String hint) {
        HttpHeaders headers = new HttpHeaders();
        if (userAgent != null) {
            headers.set(HttpHeaders.USER_AGENT, userAgent);
        }
        if (hint != null) {
            headers.set(BuyerPlatform.CLIENT_HINT, hint);
        }
        return headers;
    }

    @Test
    void withoutAClientHintTheUserAgentNamesThePlatform() {
        assertThat(BuyerPlatform.of(headers(MAC_SAFARI, null))).contains(Platform.MACOS);
        assertThat(BuyerPlatform.of(headers(WINDOWS_CHROME, null))).contains(Platform.WINDOWS);
        assertThat(BuyerPlatform.of(
                        headers("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", null)))
                .contains(Platform.LINUX);
    }

    @Test
    void theClientHintDecidesWhenTheBrowserSendsIt() {
        assertThat(BuyerPlatform.of(headers(WINDOWS_CHROME, "\"macOS\""))).contains(Platform.MACOS);
        assertThat(BuyerPlatform.of(headers("SomeBrowser/1.0", "\"Linux\""))).contains(Platform.LINUX);
        assertThat(BuyerPlatform.of(headers(null, "\"Windows\""))).contains(Platform.WINDOWS);
        assertThat(BuyerPlatform.of(headers(null, "\"Chrome OS\""))).contains(Platform.LINUX);
        assertThat(BuyerPlatform.of(headers(MAC_SAFARI, "\"Unknown\"")))
                .as("a hint that names no desktop platform")
                .isEmpty();
    }

    @Test
    void phonesAndUnknownClientsGetNoPreselection() {
        assertThat(BuyerPlatform.of(headers(
                        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                                + " Mobile/15E148",
                        null)))
                .isEmpty();
        assertThat(BuyerPlatform.of(headers(
                        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
                        "\"Android\"")))
                .isEmpty();
        assertThat(BuyerPlatform.of(headers(
                        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
                        null)))
                .isEmpty();
        assertThat(BuyerPlatform.of(headers("curl/8.5.0", null))).isEmpty();
    }
}
