package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.OrderLine;
import io.drawbridge.events.OrderStatusChanged;
import io.drawbridge.platform.kafka.EventMetadata;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/** Plays order-sync-service (OrderStatusChanged on orders.v1) and the customer's mailbox (GreenMail). */
abstract class OrderTestBase extends TokenServiceTestBase {

    static final Pattern LINK = Pattern.compile("https://downloads\\.example\\.test/d/(dl_[A-Za-z0-9_-]{43})");
    static final Duration MAIL = Duration.ofSeconds(30);

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    /** A test order: its id, the storefront's id for it, its customer and lines. */
    record TestOrder(String orderId, String provider, String externalId, String email, List<OrderLine> lines) {

        OrderStatusChanged event(String status, String previous) {
            return new OrderStatusChanged(orderId, provider, externalId, email, status, previous, lines, Instant.now());
        }
    }

    TestOrder order(String provider, String... skus) {
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < skus.length; i++) {
            lines.add(new OrderLine("li_" + (i + 1), skus[i], 1));
        }
        return new TestOrder(
                UUID.randomUUID().toString(),
                provider,
                unique("cs"),
                unique("buyer").toLowerCase() + "@example.com",
                List.copyOf(lines));
    }

    /** A product whose current release has one 100-byte file. */
    String product() {
        String sku = unique("sku");
        productWithOneFile(sku, 100);
        return sku;
    }

    void publish(OrderStatusChanged event) {
        publisher.publish(event).block(KAFKA);
    }

    /** Sends the same record (same event id) {@code times} times, as a redelivering broker would. */
    UUID publishRepeatedly(OrderStatusChanged event, int times) {
        EventMetadata metadata = EventMetadata.forNew(event, null);
        for (int i = 0; i < times; i++) {
            ProducerRecord<Object, Object> record =
                    new ProducerRecord<>(EventCatalog.of(event).topic(), event.key(), event);
            metadata.toHeaders(record.headers());
            kafka.send(record).join();
        }
        return metadata.eventId();
    }

    void awaitOrderStatus(TestOrder order, String status) {
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM customer_order WHERE order_id = :id AND status = '" + status
                                        + "'",
                                order.orderId())
                        == 1);
    }

    long tokensOf(TestOrder order) {
        return count("SELECT count(*) FROM token WHERE order_id = :id", order.orderId());
    }

    String delivery(UUID tokenId) {
        return db.sql("SELECT delivery_status FROM token WHERE id = :id")
                .bind("id", tokenId)
                .map(row -> row.get(0, String.class))
                .one()
                .block(KAFKA);
    }

    int deliveryAttempts(UUID tokenId) {
        return db.sql("SELECT delivery_attempts FROM token WHERE id = :id")
                .bind("id", tokenId)
                .map(row -> row.get(0, Integer.class))
                .one()
                .block(KAFKA);
    }

    /** The id of the order's one link of {@code lineId} that was not replaced; waits for it. */
    UUID tokenOf(TestOrder order, String lineId) {
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM token WHERE order_id = :id AND order_line_id = '" + lineId
                                        + "' AND replaced_by IS NULL",
                                order.orderId())
                        == 1);
        return db.sql("SELECT id FROM token WHERE order_id = :id AND order_line_id = :line AND replaced_by IS NULL")
                .bind("id", order.orderId())
                .bind("line", lineId)
                .map(row -> row.get(0, UUID.class))
                .one()
                .block(KAFKA);
    }

    String lineState(TestOrder order, String lineId) {
        return db.sql("SELECT state FROM order_line WHERE order_id = :id AND line_id = :line")
                .bind("id", order.orderId())
                .bind("line", lineId)
                .map(row -> row.get(0, String.class))
                .one()
                .block(KAFKA);
    }

    /** Waits until {@code count} emails reached {@code recipient}; all of them. */
    List<MimeMessage> awaitEmails(String recipient, int count) {
        await().atMost(MAIL).until(() -> TestSmtp.to(recipient).size() >= count);
        return TestSmtp.to(recipient);
    }

    MimeMessage awaitEmail(String recipient) {
        return awaitEmails(recipient, 1).get(0);
    }

    /** The plain-text part of a link email. */
    static String text(MimeMessage message) {
        return part(message, 0);
    }

    static String html(MimeMessage message) {
        return part(message, 1);
    }

    static String part(MimeMessage message, int index) {
        try {
            MimeMultipart alternative = (MimeMultipart) message.getContent();
            BodyPart part = alternative.getBodyPart(index);
            return (String) part.getContent();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokens linked in an email's text, in order. */
    static List<String> tokens(MimeMessage message) {
        Matcher matcher = LINK.matcher(text(message));
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    Map<String, Object> orderView(TestOrder order) {
        return admin().get()
                .uri("/api/v1/order-links/{id}", order.orderId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    /** Redeems the token as a fresh client: it must be granted. */
    void assertRedeems(String token) {
        assertThat(redeem(token, "client-" + UUID.randomUUID()))
                .isInstanceOf(io.drawbridge.events.DownloadGranted.class);
    }
}
