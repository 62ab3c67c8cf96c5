package io.drawbridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuyerTextTest {

    @Test
    void theMostPreferredSupportedLanguageWinsByQValueNotByOrder() {
        assertThat(BuyerText.negotiate("de")).isEqualTo(Locale.GERMAN);
        assertThat(BuyerText.negotiate("de-DE,de;q=0.9,en;q=0.8")).isEqualTo(Locale.GERMAN);
        assertThat(BuyerText.negotiate("en;q=0.4, de;q=0.7")).isEqualTo(Locale.GERMAN);
        assertThat(BuyerText.negotiate("de;q=0.4, en-GB;q=0.7")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("fr-CH, fr;q=0.9, de-AT;q=0.5"))
                .as("a region finds its language")
                .isEqualTo(Locale.GERMAN);
    }

    @Test
    void englishWhenNothingMatchesOrTheHeaderIsMissingOrBroken() {
        assertThat(BuyerText.negotiate(null)).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("fr, ja;q=0.8")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("*")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("de;q=abc")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("de;q=0")).as("q=0 refuses a language").isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("de;q=0, *;q=0.5")).isEqualTo(Locale.ENGLISH);
        assertThat(BuyerText.negotiate("x".repeat(5000))).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void wordsDatesAndNumbersFollowTheLanguage() {
        BuyerText german = BuyerText.of("de");
        Instant instant = Instant.parse("2026-12-07T14:05:00Z");

        assertThat(german.language()).isEqualTo("de");
        assertThat(german.get("landing.download")).isEqualTo("Herunterladen");
        assertThat(german.get("error.retry", 5)).isEqualTo("Versuchen Sie es in 5 Sekunden erneut.");
        assertThat(german.date(instant)).isEqualTo("7. Dezember 2026, 14:05 UTC");
        assertThat(german.number(1_048_576)).isEqualTo("1.048.576");
        assertThat(german.size(1_572_864)).isEqualTo("1,5 MB");
        assertThat(BuyerText.ENGLISH.date(instant)).isEqualTo("7 December 2026, 14:05 UTC");
        assertThat(BuyerText.ENGLISH.size(1_572_864)).isEqualTo("1.5 MB");
        assertThat(PublicError.TOKEN_REVOKED.title(german)).isEqualTo("Dieser Link wurde widerrufen");
        assertThat(PublicError.TOKEN_REVOKED.title())
                .as("the API's problem title stays English")
                .isEqualTo("This link has been cancelled");
    }

    @Test
    void everyEnglishMessageHasAGermanTranslationAndEveryErrorHasWords() throws IOException {
        Properties english = bundle("/messages/buyer.properties");
        Properties german = bundle("/messages/buyer_de.properties");

        assertThat(german.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
        for (PublicError error : PublicError.values()) {
            assertThat(english).containsKeys("error." + error.code() + ".title", "error." + error.code() + ".advice");
        }
    }

    private static Properties bundle(String path) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = BuyerTextTest.class.getResourceAsStream(path)) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }
}
