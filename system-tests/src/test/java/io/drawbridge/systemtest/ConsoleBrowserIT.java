package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.systemtest.Drawbridge.StoredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A seller's day in the console, in a real Chromium, and the buyer's side of it: sign in, upload a 50 MiB release
 * straight to S3 and watch the progress reach 100 %, publish it for macOS, issue a link, open the link as a Mac
 * buyer (macOS preselected), download it, and find the download in the console's log and chart.
 */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class ConsoleBrowserIT {

    private static final String MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    private static final Duration UPLOAD_PATIENCE = Duration.ofMinutes(3);

    /** Screenshots of the main pages as this test saw them (the README's pictures come from here). */
    private static void picture(Chromium.Window window, String name) throws Exception {
        Path folder = Path.of("target", "browser", "screenshots");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), window.driver().getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aSellerUploadsPublishesAndIssuesInTheConsoleAndAMacBuyerGetsTheMacBuild(
            Drawbridge drawbridge, Chromium chromium) throws Exception {
        String console = drawbridge.stack().url("console");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] release = Drawbridge.content(50 * 1024 * 1024, 11);
        String releaseName = "console-app-" + suffix + ".dmg";
        Path file = Path.of("target", "browser", releaseName).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.write(file, release);
        StoredFile windowsBuild = drawbridge.upload("console-app-" + suffix + ".exe", Drawbridge.content(4096, 12));

        Chromium.Window seller = chromium.open(null).go(console + "/links");
        assertThat(seller.driver().getCurrentUrl())
                .as("the console asks to sign in")
                .endsWith("/login");
        seller.find("#username").sendKeys(drawbridge.stack().consoleUser());
        seller.find("#password").sendKeys(drawbridge.stack().consolePassword());
        seller.find("#sign-in").click();
        await("signed in").atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Sign out"));

        // Upload: the browser PUTs the bytes to S3 itself; the bar ends at 100 % and the SHA-256 is the file's.
        seller.go(console + "/files");
        seller.find("#upload-file").sendKeys(file.toString());
        seller.find("#upload-start").click();
        List<Integer> progress = new ArrayList<>();
        WebElement done = await("the upload is stored")
                .atMost(UPLOAD_PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(
                        () -> {
                            progress.add(Integer.parseInt(
                                    seller.find("#upload-progress").getDomProperty("value")));
                            List<WebElement> found = seller.driver().findElements(By.id("upload-done"));
                            return found.isEmpty() ? null : found.get(0);
                        },
                        element -> element != null);
        assertThat(seller.find("#upload-progress").getDomProperty("value")).isEqualTo("100");
        assertThat(seller.find("#upload-percent").getText()).isEqualTo("100 %");
        assertThat(progress).as("progress only goes up").isSorted();
        assertThat(done.getText()).contains(sha256(release));
        String fileId = done.getDomAttribute("data-file-id");
        picture(seller, "files");

        // Publish a release: the 50 MiB build for macOS, a small one for Windows.
        String sku = "console-app-" + suffix;
        seller.go(console + "/releases");
        seller.find("input[name=sku]").sendKeys(sku);
        seller.find("form[action='/products'] input[name=name]").sendKeys("Console App " + suffix);
        seller.find("#create-product").click();
        await().atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Created product " + sku));
        new Select(seller.find("#publish-form select[name=sku]")).selectByValue(sku);
        seller.find("#publish-form input[name=version]").sendKeys("1.0.0");
        new Select(seller.find("#publish-form select[name=file_macos]")).selectByValue(fileId);
        new Select(seller.find("#publish-form select[name=file_windows]")).selectByValue(windowsBuild.id());
        seller.find("#publish").click();
        await().atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Published a release of " + sku));
        picture(seller, "releases");

        // Issue a link (token-service learns the release from Kafka a moment after it is published).
        String buyerEmail = "mac-buyer-" + suffix + "@example.com";
        String link = await("a link for the new product")
                .atMost(Chromium.PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            seller.go(console + "/links");
                            seller.find("#issue-form input[name=email]").sendKeys(buyerEmail);
                            new Select(seller.find("#issue-form select[name=product]")).selectByValue(sku);
                            seller.find("#issue").click();
                            seller.find("h1");
                            List<WebElement> links = seller.driver().findElements(By.cssSelector("#issued a.link"));
                            return links.isEmpty() ? null : links.get(0).getText();
                        },
                        found -> found != null);

        picture(seller, "issued");
        seller.go(console + "/links");
        picture(seller, "links");

        // The buyer, on a Mac: macOS is preselected, Download gives the macOS build, byte for byte.
        Chromium.Window buyer = chromium.open(MAC_SAFARI).go(link);
        assertThat(new Select(buyer.find("select#platform"))
                        .getFirstSelectedOption()
                        .getDomAttribute("value"))
                .isEqualTo("macos");
        picture(buyer, "buyer-page");
        buyer.find("button[type=submit]").click();
        Path saved = buyer.downloaded(releaseName);
        assertThat(sha256(Files.readAllBytes(saved))).isEqualTo(sha256(release));

        // The seller finds it in the download log, and today's bar of the chart counts it.
        await("the download in the console's log")
                .atMost(Chromium.PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    seller.go(console + "/downloads?email=" + buyerEmail + "&outcome=completed");
                    return seller.find("#download-log").getText().contains(releaseName);
                });
        picture(seller, "download-log");
        seller.go(console + "/");
        picture(seller, "dashboard");
        List<WebElement> bars = seller.driver().findElements(By.cssSelector("#chart rect.bar"));
        assertThat(bars).hasSize(14);
        assertThat(Long.parseLong(bars.get(13).getDomAttribute("data-downloads")))
                .isPositive();
        assertThat(Long.parseLong(seller.find("#downloads-today").getText())).isPositive();
        seller.go(console + "/audit");
        assertThat(seller.find("#audit").getText()).contains("file.uploaded", "release.published", "link.issued");
        picture(seller, "audit-log");
    }
}
