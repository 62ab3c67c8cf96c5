package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

/**
 * A seller's webhooks in a real Chromium, against the whole system: add an endpoint (a real HTTP receiver in this
 * test, checking signatures as a seller's server would, with its own HMAC code), see its secret once, then a buyer
 * downloads a one-use link: the receiver is told of the link's first download and that it is used up, the page lists
 * both deliveries, and "Send again" sends one again under the same webhook-id.
 */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class WebhooksBrowserIT {

    /** What the receiver got: the three Standard Webhooks headers and the body. */
    record Received(String id, String timestamp, String signature, String body) {}

    @Test
    void aSellerIsToldOfALinksFirstDownloadAndThatItIsUsedUpAndSendsOneAgain(Drawbridge drawbridge, Chromium chromium)
            throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/drawbridge", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(
                        exchange.getRequestHeaders().getFirst("webhook-id"),
                        exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                        exchange.getRequestHeaders().getFirst("webhook-signature"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String console = drawbridge.stack().url("console");
            Chromium.Window seller = signIn(drawbridge, chromium);
            seller.go(console + "/webhooks");
            seller.find("input[name=url]")
                    .sendKeys("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/drawbridge");
            seller.find("input[name=description]").sendKeys("shop backend");
            seller.find("#add-endpoint").click();
            String secret = seller.find("#new-secret").getText();
            assertThat(secret).startsWith("whsec_");
            seller.go(console + "/webhooks");
            assertThat(seller.driver().getPageSource()).as("shown once").doesNotContain(secret);
            assertThat(seller.find("#endpoints").getText())
                    .contains("link.first_downloaded", "link.used_up", "enabled");

            String suffix = UUID.randomUUID().toString().substring(0, 8);
            byte[] content = Drawbridge.content(80_000, 61);
            String sku = drawbridge.productWith(drawbridge.upload("hook-" + suffix + ".bin", content));
            Drawbridge.Link link = drawbridge.issue(sku, "hook-" + suffix + "@example.com", 1);
            byte[] got = drawbridge
                    .download(drawbridge.grantPath(link.token(), "buyer-" + suffix), "buyer", null)
                    .body();
            assertThat(sha256(got)).isEqualTo(sha256(content));

            await("the receiver is told of the first download and the used-up link")
                    .atMost(Chromium.PATIENCE.multipliedBy(2))
                    .until(() -> ofLink(received, link).size() >= 2);
            List<Received> mine = ofLink(received, link);
            assertThat(mine).hasSize(2).allSatisfy(message -> assertThat(signedWith(secret, message))
                    .as("signature of " + message.id())
                    .isTrue());
            assertThat(mine.stream().map(m -> m.body().replaceAll(".*\"type\":\"([^\"]+)\".*", "$1")))
                    .containsExactlyInAnyOrder("link.first_downloaded", "link.used_up");

            seller.go(console + "/webhooks");
            for (Received message : mine) {
                WebElement row = seller.find("#deliveries tr[data-delivery-id='" + message.id() + "']");
                assertThat(row.getText()).contains("delivered", "HTTP 204");
                assertThat(row.findElement(By.cssSelector(".attempts")).getText())
                        .isEqualTo("1");
            }
            picture(seller, "webhooks");

            Received first = mine.stream()
                    .filter(m -> m.body().contains("link.first_downloaded"))
                    .findFirst()
                    .orElseThrow();
            seller.find("#deliveries tr[data-delivery-id='" + first.id() + "'] button.redeliver")
                    .click();
            assertThat(seller.find("#redelivered").getText()).contains("queued");
            await("sent again")
                    .atMost(Chromium.PATIENCE)
                    .until(() -> ofLink(received, link).size() == 3);
            Received again = ofLink(received, link).get(2);
            assertThat(again.id())
                    .as("the same webhook-id: the receiver can tell")
                    .isEqualTo(first.id());
            assertThat(again.body()).isEqualTo(first.body());
            assertThat(signedWith(secret, again)).isTrue();
            await("the page counts the second attempt")
                    .atMost(Chromium.PATIENCE)
                    .until(() -> seller.go(console + "/webhooks")
                            .find("#deliveries tr[data-delivery-id='" + first.id() + "'] .attempts")
                            .getText()
                            .equals("2"));

            seller.find("#endpoints button.delete").click();
            assertThat(seller.find("main").getText()).contains("Endpoint deleted.", "No endpoints yet.");
            seller.go(console + "/audit?action=webhook.created");
            assertThat(seller.find("#audit").getText())
                    .contains("webhook.created", "127.0.0.1")
                    .doesNotContain(secret);
        } finally {
            receiver.stop(0);
        }
    }

    private static List<Received> ofLink(List<Received> received, Drawbridge.Link link) {
        return received.stream()
                .filter(m -> m.body().contains("\"link_id\":\"" + link.tokenId() + "\""))
                .toList();
    }

    /** What a seller's server does: HMAC-SHA256 over id.timestamp.body with the secret's bytes, a fresh timestamp. */
    private static boolean signedWith(String secret, Received message) throws Exception {
        long timestamp = Long.parseLong(message.timestamp());
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = ("v1,"
                        + Base64.getEncoder()
                                .encodeToString(mac.doFinal((message.id() + "." + timestamp + "." + message.body())
                                        .getBytes(StandardCharsets.UTF_8))))
                .getBytes(StandardCharsets.US_ASCII);
        for (String signature : message.signature().split(" ")) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    private static Chromium.Window signIn(Drawbridge drawbridge, Chromium chromium) {
        Chromium.Window seller = chromium.open(null).go(drawbridge.stack().url("console") + "/login");
        seller.find("#username").sendKeys(drawbridge.stack().consoleUser());
        seller.find("#password").sendKeys(drawbridge.stack().consolePassword());
        seller.find("#sign-in").click();
        await("signed in").atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Sign out"));
        return seller;
    }

    private static void picture(Chromium.Window window, String name) throws Exception {
        Path folder = Path.of("target", "browser", "screenshots");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), window.driver().getScreenshotAs(OutputType.BYTES));
    }
}
