package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * One-time shares in a real browser: the sharer uses {@code /share} (upload with progress, the link), the recipient
 * opens the link in a fresh browser, reveals or downloads, and the link is gone afterwards; a password, its tries and
 * the lockout.
 */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class ShareBrowserIT {

    @Test
    void aTextSharedThroughThePageIsRevealedOnceInAnotherBrowserThenGone(Drawbridge drawbridge, Chromium chromium) {
        String secret = "db password: correct-horse-" + System.nanoTime();
        String link = share(chromium, drawbridge, secret, null, null);

        Chromium.Window recipient = chromium.open(null).go(link);
        assertThat(recipient.text())
                .contains("Someone shared a text with you", "Reads left 1")
                .doesNotContain(secret);
        // Opening (and reloading) the page does not consume it.
        recipient.go(link);
        recipient.find("button[type=submit]").click();
        assertThat(recipient.find("#shared-text").getText()).isEqualTo(secret);
        assertThat(recipient.text()).contains("the text has been deleted");

        Chromium.Window later = chromium.open(null).go(link);
        assertThat(later.text()).contains("This share has been read or has expired", "410");
        assertThat(later.driver().findElements(By.cssSelector("button[type=submit]")))
                .isEmpty();
    }

    @Test
    void a20MibFileSharedThroughThePageIsDownloadedOnceInAnotherBrowserThenGone(
            Drawbridge drawbridge, Chromium chromium) throws Exception {
        byte[] content = Drawbridge.content(20 * 1024 * 1024, 97);
        Path file = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "share-")
                .resolve("contract-20mib.bin");
        Files.write(file, content);
        String link = share(chromium, drawbridge, null, file, null);

        Chromium.Window recipient = chromium.open(null).go(link);
        assertThat(recipient.text()).contains("Someone shared a file with you", "contract-20mib.bin", "20.0 MB");
        recipient.find("button[type=submit]").click();
        Path saved = recipient.downloaded("contract-20mib.bin");
        assertThat(sha256(Files.readAllBytes(saved))).isEqualTo(sha256(content));

        await("the share is gone once the file was delivered in full")
                .atMost(Chromium.PATIENCE)
                .until(() -> drawbridge
                                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)))
                                .statusCode()
                        == 410);
        Chromium.Window later = chromium.open(null).go(link);
        assertThat(later.text()).contains("This share has been read or has expired");
    }

    @Test
    void aPasswordShowsTheTriesLeftAndFiveWrongOnesLockTheShare(Drawbridge drawbridge, Chromium chromium) {
        String link = share(chromium, drawbridge, "the vault code is 4711", null, "open sesame");

        Chromium.Window guesser = chromium.open(null).go(link);
        assertThat(guesser.text()).contains("5 tries left");
        for (int left = 4; left >= 1; left--) {
            guesser.find("#password").sendKeys("guess " + left);
            guesser.find("button[type=submit]").click();
            assertThat(guesser.find("[role=alert]").getText()).contains("Tries left: " + left);
        }
        guesser.find("#password").sendKeys("guess 0");
        guesser.find("button[type=submit]").click();
        assertThat(guesser.text()).contains("This share is locked");

        // The right password no longer helps, and the share was kept (locked, not deleted).
        Chromium.Window recipient = chromium.open(null).go(link);
        assertThat(recipient.text()).contains("locked");
        assertThat(recipient.driver().findElements(By.cssSelector("#password"))).isEmpty();
    }

    @Test
    void theRightPasswordRevealsTheText(Drawbridge drawbridge, Chromium chromium) {
        String link = share(chromium, drawbridge, "behind a password", null, "open sesame");
        Chromium.Window recipient = chromium.open(null).go(link);
        recipient.find("#password").sendKeys("wrong");
        recipient.find("button[type=submit]").click();
        assertThat(recipient.find("[role=alert]").getText()).contains("Tries left: 4");
        recipient.find("#password").sendKeys("open sesame");
        recipient.find("button[type=submit]").click();
        assertThat(recipient.find("#shared-text").getText()).isEqualTo("behind a password");
    }

    private static void picture(Chromium.Window window, String name) {
        try {
            Path folder = Path.of("target", "browser", "screenshots");
            Files.createDirectories(folder);
            Files.write(
                    folder.resolve(name + ".png"),
                    window.driver().getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Shares a text or a file through {@code /share} with its script (progress bar) and returns the link shown. */
    private static String share(Chromium chromium, Drawbridge drawbridge, String text, Path file, String password) {
        Chromium.Window sharer = chromium.open(null).go(drawbridge.gateway() + "/share");
        // The text box takes the form's whole width (a pasted key or config file must be readable).
        assertThat(sharer.find("#text").getRect().getWidth())
                .isGreaterThanOrEqualTo(sharer.find("#share-form").getRect().getWidth() - 1)
                .isGreaterThan(500);
        if (text != null) {
            sharer.find("#text").sendKeys(text);
            if (password == null) {
                picture(sharer, "share-form");
            }
        }
        if (file != null) {
            sharer.find("#file").sendKeys(file.toString());
        }
        if (password != null) {
            sharer.find("#password").sendKeys(password);
        }
        new Select(sharer.find("#expires_in")).selectByValue("3600");
        sharer.find("button[type=submit]").click();
        WebElement link = await("the link")
                .atMost(Chromium.PATIENCE.multipliedBy(2))
                .ignoreExceptions()
                .until(() -> sharer.driver().findElement(By.id("link")), WebElement::isDisplayed);
        assertThat(sharer.find("#progress").getDomProperty("value")).isEqualTo("100");
        assertThat(sharer.find("#status").getText()).isEqualTo("Link created.");
        String url = link.getDomProperty("value");
        assertThat(url).contains("/s/sh_");
        assertThat(link.getRect().getWidth())
                .as("the whole link is visible")
                .isGreaterThanOrEqualTo(sharer.find("#result").getRect().getWidth() - 1);
        if (text != null && password == null) {
            picture(sharer, "share-link");
        }
        return url;
    }
}
