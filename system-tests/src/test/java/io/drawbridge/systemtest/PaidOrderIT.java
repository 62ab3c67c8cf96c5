package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.json;
import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.systemtest.Drawbridge.StoredFile;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storefront flow: Stripe says paid → order-sync-service → OrderStatusChanged → token-service issues a link and
 * emails it (to the stack's real SMTP server) → the customer downloads → Stripe says refunded → the link is dead.
 */
@ExtendWith(SystemUnderTest.class)
class PaidOrderIT {

    private static final Logger log = LoggerFactory.getLogger(PaidOrderIT.class);
    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+/d/(dl_[A-Za-z0-9_-]+)");

    @Test
    void aPaidCheckoutEmailsAWorkingLinkAndARefundRevokesIt(Drawbridge drawbridge) throws Exception {
        byte[] content = Drawbridge.content(1024 * 1024 + 5, 5);
        StoredFile file = drawbridge.upload("paid-product.bin", content);
        String sku = drawbridge.productWith(file);
        String email = "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String paymentIntent = StripeWebhooks.newPaymentIntent();
        StripeWebhooks stripe = new StripeWebhooks(drawbridge);

        HttpResponse<String> paid = stripe.checkoutCompleted(email, sku, paymentIntent);
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);

        MimeMessage mail = await("the link email reaches the SMTP server")
                .atMost(Duration.ofSeconds(30))
                .until(() -> drawbridge.stack().mail().receivedBy(email), messages -> !messages.isEmpty())
                .get(0);
        Matcher link = LINK.matcher(text(mail));
        assertThat(link.find()).as("a download link in the email").isTrue();
        URI url = URI.create(link.group());
        assertThat(url.getAuthority())
                .isEqualTo(URI.create(drawbridge.gateway()).getAuthority());
        String token = link.group(1);

        HttpResponse<String> page = drawbridge.landing(token, "GET");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("paid-product.bin");
        String agent = "buyer-browser/1.0";
        HttpResponse<byte[]> download = drawbridge.download(drawbridge.grantPath(token, agent), agent, null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(sha256(content));

        long refundedAt = System.nanoTime();
        HttpResponse<String> refunded = stripe.chargeRefunded(paymentIntent);
        assertThat(refunded.statusCode()).as(refunded.body()).isEqualTo(200);
        await("the refund revokes the link")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> drawbridge.landing(token, "GET").statusCode() == 410);
        Duration delay = Duration.ofNanos(System.nanoTime() - refundedAt);
        log.info("Refund webhook → link answers 410: {} ms", delay.toMillis());

        HttpResponse<String> redeem = drawbridge.redeemJson(token, agent);
        assertThat(redeem.statusCode()).isEqualTo(410);
        assertThat(json(redeem).get("error").asString()).isEqualTo("token_revoked");
        String tokenId = drawbridge.tokensOf(email).get(0).get("token_id").asString();
        assertThat(drawbridge.token(tokenId).get("revoke_reason").asString()).isEqualTo("refunded");
        await("TokenRevoked on Kafka").atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        drawbridge.events().ofType("TokenRevoked"))
                .filteredOn(event -> tokenId.equals(event.field("tokenId")))
                .singleElement()
                .satisfies(event -> assertThat(event.field("reason")).isEqualTo("refunded")));
    }

    /** The decoded text of a message: its text parts, HTML included, whatever the transfer encoding. */
    private static String text(Part part) throws Exception {
        Object content = part.getContent();
        if (content instanceof String text) {
            return text;
        }
        StringBuilder text = new StringBuilder();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                text.append(text(body)).append('\n');
            }
        }
        return text.toString();
    }
}
