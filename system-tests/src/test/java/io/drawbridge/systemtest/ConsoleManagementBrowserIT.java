package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * The console's management pages in a real Chromium: a used-up link given more downloads and more time (and the buyer
 * downloads again), one-time shares listed without names and deleted (the link then answers 410), a customer looked
 * up and erased, and the dashboard's bytes in units people read.
 */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class ConsoleManagementBrowserIT {

    private static void picture(Chromium.Window window, String name) throws Exception {
        Path folder = Path.of("target", "browser", "screenshots");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), window.driver().getScreenshotAs(OutputType.BYTES));
    }

    private static Chromium.Window signIn(Drawbridge drawbridge, Chromium chromium) {
        Chromium.Window seller = chromium.open(null).go(drawbridge.stack().url("console") + "/login");
        seller.find("#username").sendKeys(drawbridge.stack().consoleUser());
        seller.find("#password").sendKeys(drawbridge.stack().consolePassword());
        seller.find("#sign-in").click();
        await("signed in").atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Sign out"));
        return seller;
    }

    /** The buyer downloads the link's one file in full (SHA-256 checked). */
    private static void downloadedOnce(Drawbridge drawbridge, Drawbridge.Link link, byte[] content) {
        byte[] got = drawbridge
                .download(drawbridge.grantPath(link.token(), "buyer-" + link.tokenId()), "buyer", null)
                .body();
        assertThat(sha256(got)).isEqualTo(sha256(content));
    }

    private static WebElement row(Chromium.Window window, String table, String attribute, String id) {
        return window.find("#" + table + " tr[" + attribute + "='" + id + "']");
    }

    @Test
    void aUsedUpLinkGetsMoreDownloadsAndMoreTimeAndTheBuyerDownloadsAgain(Drawbridge drawbridge, Chromium chromium)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] content = Drawbridge.content(100_000, 31);
        String sku = drawbridge.productWith(drawbridge.upload("amend-" + suffix + ".bin", content));
        String email = "amend-" + suffix + "@example.com";
        Drawbridge.Link link = drawbridge.issue(sku, email, 1);
        downloadedOnce(drawbridge, link, content);
        await("the link is used up").atMost(Chromium.PATIENCE).until(() -> drawbridge
                .token(link.tokenId())
                .path("status")
                .asString()
                .equals("exhausted"));

        Chromium.Window seller = signIn(drawbridge, chromium);
        String links = drawbridge.stack().url("console") + "/links?email=" + email;
        seller.go(links);
        assertThat(row(seller, "links", "data-token-id", link.tokenId()).getText())
                .contains("exhausted", "1 / 1");
        assertThat(seller.text()).doesNotContain("Link changed.", "Link revoked.", "Refused:");
        WebElement uses = row(seller, "links", "data-token-id", link.tokenId()).findElement(By.name("uses"));
        uses.clear();
        uses.sendKeys("2");
        row(seller, "links", "data-token-id", link.tokenId())
                .findElement(By.cssSelector("button.add-uses"))
                .click();
        await().atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Link changed."));
        seller.go(links);
        assertThat(row(seller, "links", "data-token-id", link.tokenId()).getText())
                .contains("active", "1 / 3");

        Instant before = Instant.parse(
                drawbridge.token(link.tokenId()).path("expires_at").asString());
        WebElement hours = row(seller, "links", "data-token-id", link.tokenId()).findElement(By.name("hours"));
        hours.clear();
        hours.sendKeys("48");
        row(seller, "links", "data-token-id", link.tokenId())
                .findElement(By.cssSelector("button.extend"))
                .click();
        await().atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Link changed."));
        assertThat(Instant.parse(
                        drawbridge.token(link.tokenId()).path("expires_at").asString()))
                .isEqualTo(before.plus(Duration.ofHours(48)));
        seller.go(links);
        picture(seller, "links-amended");

        assertThat(drawbridge.redeem(link.token(), "buyer-again").statusCode())
                .as("the buyer may download again")
                .isEqualTo(303);
        seller.go(drawbridge.stack().url("console") + "/audit?q=" + link.tokenId());
        assertThat(seller.find("#audit").getText()).contains("link.uses_added", "link.extended");
    }

    @Test
    void sharesAreListedWithoutNamesOrContentAndADeletedShareIsGone(Drawbridge drawbridge, Chromium chromium)
            throws Exception {
        String secret = "root password " + UUID.randomUUID();
        HttpResponse<String> created = createShare(drawbridge, secret);
        String id = Drawbridge.json(created).path("id").asString();
        String link = Drawbridge.json(created).path("link").asString();
        String token = link.substring(link.lastIndexOf('/') + 1);
        String hashPrefix = sha256(token.getBytes(StandardCharsets.US_ASCII)).substring(0, 12);

        Chromium.Window seller = signIn(drawbridge, chromium);
        seller.go(drawbridge.stack().url("console") + "/shares");
        WebElement share = row(seller, "shares", "data-share-id", id);
        assertThat(seller.text()).doesNotContain("Share deleted", "Refused:");
        assertThat(share.getText()).contains(hashPrefix, "text", "active", "1 of 1");
        assertThat(seller.driver().getPageSource()).doesNotContain(secret).doesNotContain(token);
        picture(seller, "shares");

        share.findElement(By.cssSelector("button.delete")).click();
        await().atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Share deleted"));
        assertThat(seller.driver().findElements(By.cssSelector("#shares tr[data-share-id='" + id + "']")))
                .as("no longer among the active ones")
                .isEmpty();
        assertThat(drawbridge.send(HttpRequest.newBuilder(URI.create(link))).statusCode())
                .isEqualTo(410);
        seller.go(drawbridge.stack().url("console") + "/shares?status=deleted");
        assertThat(row(seller, "shares", "data-share-id", id).getText()).contains("deleted");
    }

    @Test
    void aCustomerIsLookedUpAndErased(Drawbridge drawbridge, Chromium chromium) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] content = Drawbridge.content(70_000, 41);
        String fileName = "erase-" + suffix + ".bin";
        String sku = drawbridge.productWith(drawbridge.upload(fileName, content));
        String email = "erase-" + suffix + "@example.com";
        Drawbridge.Link link = drawbridge.issue(sku, email, 2);
        downloadedOnce(drawbridge, link, content);

        Chromium.Window seller = signIn(drawbridge, chromium);
        String console = drawbridge.stack().url("console");
        await("the download in the customer's page")
                .atMost(Chromium.PATIENCE.multipliedBy(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    seller.go(console + "/customers");
                    seller.find("input[name=email]").sendKeys(email);
                    seller.find("#look-up").click();
                    return seller.find("#customer-downloads").getText().contains(fileName);
                });
        assertThat(seller.find("#customer-links").getText()).contains(sku, "active");
        assertThat(seller.text()).contains("Links (1)", "Downloads (1)");
        assertThat(seller.find("#customer-downloads").getText()).contains("68.4 KiB", "completed");
        picture(seller, "customers");

        seller.find("#erase-form input[name=confirm]").sendKeys("not-" + email);
        seller.find("#erase").click();
        assertThat(seller.find(".error").getText()).contains("Type the customer's address again");
        seller.go(console + "/customers?email=" + email);
        seller.find("#erase-form input[name=confirm]").sendKeys(email);
        seller.find("#erase").click();
        assertThat(seller.find("#erased").getText()).contains("Erased", "download log rows");
        seller.go(console + "/customers?email=" + email);
        assertThat(seller.find("#customer-downloads").getText()).doesNotContain(fileName);
        seller.go(console + "/audit?action=customer.erased");
        assertThat(seller.find("#audit").getText()).contains("customer.erased").doesNotContain(email);
    }

    @Test
    void theDashboardShowsBytesInUnitsPeopleRead(Drawbridge drawbridge, Chromium chromium) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] content = Drawbridge.content(3 * 1024 * 1024, 51);
        String sku = drawbridge.productWith(drawbridge.upload("dash-" + suffix + ".bin", content));
        downloadedOnce(drawbridge, drawbridge.issue(sku, "dash-" + suffix + "@example.com", 1), content);

        Chromium.Window seller = signIn(drawbridge, chromium);
        WebElement bytes = await("audit-service counted the download's bytes")
                .atMost(Chromium.PATIENCE)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> seller.go(drawbridge.stack().url("console") + "/").find("#bytes-served"), element -> !"0 B"
                        .equals(element.getText()));
        assertThat(bytes.getText()).matches("[0-9]+(\\.[0-9])? (B|KiB|MiB|GiB|TiB)");
        assertThat(bytes.getDomAttribute("title")).matches("[0-9,]+ bytes");
        picture(seller, "dashboard");
        seller.go(drawbridge.stack().url("console") + "/files?q=dash-" + suffix);
        assertThat(seller.find("#files").getText()).contains("3.0 MiB");
    }

    /**
     * A multipart upload (the stack's file-service cuts direct uploads above 16 MB into 5 MB parts) cut by a reload
     * while the upload is throttled: choosing the file again uploads only the parts S3 does not have yet.
     */
    @Test
    void anUploadCutByAReloadResumesWithThePartsAlreadyStored(Drawbridge drawbridge, Chromium chromium)
            throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        byte[] content = Drawbridge.content(40 * 1024 * 1024, 61);
        Path file = Path.of("target", "browser", "resume-" + suffix + ".bin").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.write(file, content);

        Chromium.Window seller = signIn(drawbridge, chromium);
        seller.go(drawbridge.stack().url("console") + "/files");
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setUploadThroughput(3 * 1024 * 1024);
        seller.driver().setNetworkConditions(slow);
        seller.find("#upload-file").sendKeys(file.toString());
        seller.find("#upload-start").click();
        String storedParts = "const k = Object.keys(localStorage).find(k => k.includes('resume-" + suffix + "'));"
                + " return k ? JSON.parse(localStorage.getItem(k)).done.length : 0;";
        await("a first part stored")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ((Number) seller.driver().executeScript(storedParts)).intValue() >= 1);
        assertThat(seller.driver().findElements(By.id("upload-done")))
                .as("not finished yet")
                .isEmpty();

        seller.driver().navigate().refresh();
        // Still throttled: the resumed upload lasts long enough to be seen resuming (unthrottled, it can be stored
        // between two looks at the status, as on a quiet CI machine).
        seller.driver().setNetworkConditions(slow);
        assertThat(seller.find("#upload-status").getText())
                .contains("Interrupted: resume-" + suffix + ".bin", "Choose the same file again to resume");
        seller.find("#upload-file").sendKeys(file.toString());
        seller.find("#upload-start").click();
        String resuming = await("resuming")
                .atMost(Chromium.PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> seller.find("#upload-status").getText(),
                        text -> text.startsWith("Resuming")
                                || !seller.driver()
                                        .findElements(By.id("upload-done"))
                                        .isEmpty());
        assertThat(resuming).matches("Resuming: [1-8] of 8 parts already stored, uploading [0-7] \\.\\.\\.");
        seller.driver().deleteNetworkConditions();
        WebElement done = await("the resumed upload is stored")
                .atMost(Duration.ofMinutes(3))
                .ignoreExceptions()
                .until(() -> seller.driver().findElement(By.id("upload-done")), element -> element != null);
        assertThat(done.getText()).contains(sha256(content));
        assertThat(seller.find("#upload-progress").getDomProperty("value")).isEqualTo("100");
        assertThat(((Number) seller.driver().executeScript(storedParts)).intValue())
                .as("nothing left to resume")
                .isZero();
    }

    private static HttpResponse<String> createShare(Drawbridge drawbridge, String text) {
        String boundary = "share" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text + "\r\n--"
                + boundary + "--\r\n";
        HttpResponse<String> response =
                drawbridge.send(HttpRequest.newBuilder(URI.create(drawbridge.gateway() + "/api/v1/shares"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }
}
