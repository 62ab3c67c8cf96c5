package io.drawbridge.token.mail.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.token.config.LinkMailProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LinkMailComposerTest {

    static final LinkMailProperties PROPERTIES = new LinkMailProperties(
            "downloads@shop.example",
            "Tom & Jerry's <Shop>",
            "help@shop.example",
            5,
            Duration.ofSeconds(2),
            Duration.ofMinutes(1),
            Duration.ofMinutes(15));
    static final LinkMailComposer COMPOSER = new LinkMailComposer(PROPERTIES);
    static final Instant EXPIRES = Instant.parse("2026-05-12T14:03:00Z");

    static LinkMail.Link link(String title, int maxDownloads) {
        return new LinkMail.Link(
                UUID.randomUUID(), title, "https://dl.example/d/dl_" + "A".repeat(43), EXPIRES, maxDownloads);
    }

    @Test
    void showsEveryLinkWithItsExpiryAndDownloadLimitInTextAndHtml() {
        MailContent mail = COMPOSER.compose(
                new LinkMail("buyer@example.com", "cs_123", false, List.of(link("Editor Pro", 3), link("Fonts", 1))));

        assertThat(mail.subject()).isEqualTo("Your downloads from Tom & Jerry's <Shop> (order cs_123)");
        assertThat(mail.to()).isEqualTo("buyer@example.com");
        assertThat(mail.replyTo()).isEqualTo("help@shop.example");
        assertThat(mail.text())
                .contains("Thank you for your order cs_123 at Tom & Jerry's <Shop>.")
                .contains("Editor Pro\nhttps://dl.example/d/dl_")
                .contains("Valid until 12 May 2026, 14:03 UTC, for up to 3 downloads.")
                .contains("Valid until 12 May 2026, 14:03 UTC, for up to 1 download.")
                .contains("help@shop.example");
        assertThat(mail.html())
                .contains("Tom &amp; Jerry&#39;s &lt;Shop&gt;")
                .doesNotContain("<Shop>")
                .contains("<a href=\"https://dl.example/d/dl_")
                .contains("for up to 3 downloads.");
        assertThat(mail.messageId()).startsWith("<").endsWith(".links@shop.example>");
    }

    @Test
    void aResentLinkSaysItReplacesTheOldOne() {
        MailContent mail = COMPOSER.compose(new LinkMail("b@example.com", null, true, List.of(link("Editor", 2))));

        assertThat(mail.subject()).isEqualTo("Your new download link from Tom & Jerry's <Shop>");
        assertThat(mail.text()).contains("It replaces the link we sent before, which no longer works.");
    }

    @Test
    void neverShowsTheLinkInToString() {
        LinkMail mail = new LinkMail("b@example.com", null, false, List.of(link("Editor", 2)));
        MailContent content = COMPOSER.compose(mail);

        assertThat(mail.toString()).doesNotContain("dl_").doesNotContain("b@example.com");
        assertThat(content.toString()).doesNotContain("dl_");
    }
}
