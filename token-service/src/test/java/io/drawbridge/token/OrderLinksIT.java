package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.Event;
import io.drawbridge.events.LinkEmailed;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.events.TokenRevoked;
import io.drawbridge.token.issue.domain.TokenSecret;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Paid orders become emailed links, once per line; refunds and disputes take them back. */
class OrderLinksIT extends OrderTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void paidOrderGetsOneEmailWithAWorkingLinkPerLine() throws Exception {
        String first = product();
        String second = product();
        TestOrder order = order("stripe", first, second);
        double sent = meters.counter("drawbridge.emails", "outcome", "sent").count();

        publish(order.event("paid", "pending"));

        MimeMessage mail = awaitEmail(order.email());
        assertThat(mail.getSubject())
                .isEqualTo("Your downloads from Example Seller (order " + order.externalId() + ")");
        InternetAddress from = (InternetAddress) mail.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("downloads@seller.example");
        assertThat(from.getPersonal()).isEqualTo("Example Seller");
        assertThat(mail.getReplyTo()[0].toString()).isEqualTo("help@seller.example");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        assertThat(mail.getMessageID()).endsWith(".links@seller.example>");
        String text = text(mail);
        assertThat(text)
                .contains("Product " + first, "Product " + second)
                .contains("for up to 3 downloads.")
                .contains("Valid until ")
                .contains("help@seller.example");
        assertThat(html(mail)).contains("<a href=\"https://downloads.example.test/d/dl_");
        List<String> tokens = tokens(mail);
        assertThat(tokens).hasSize(2).doesNotHaveDuplicates();
        tokens.forEach(this::assertRedeems);

        UUID firstLink = tokenOf(order, "li_1");
        await().atMost(KAFKA).until(() -> "emailed".equals(delivery(firstLink)));
        Map<String, Object> view = tokenView(firstLink);
        assertThat(view).containsEntry("source", "order").containsEntry("order_line_id", "li_1");
        assertThat((Map<String, Object>) view.get("delivery"))
                .containsEntry("status", "emailed")
                .containsEntry("attempts", 1)
                .containsKey("emailed_at");
        assertThat((Map<String, Object>) view.get("order"))
                .containsEntry("order_id", order.orderId())
                .containsEntry("status", "paid")
                .containsEntry("reissue_pending", false);
        assertThat((List<Map<String, Object>>) view.get("history"))
                .extracting(entry -> entry.get("kind"))
                .containsSubsequence("issued", "emailed");
        assertThat(meters.counter("drawbridge.emails", "outcome", "sent").count())
                .isEqualTo(sent + 1);
        assertThat(TestSmtp.to(order.email())).hasSize(1);
        await().atMost(KAFKA)
                .until(() -> collected.eventsOf(firstLink).stream().anyMatch(LinkEmailed.class::isInstance));
        assertThat(collected.eventsOf(firstLink))
                .anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(LinkEmailed.class, emailed -> {
                    assertThat(emailed.orderId()).isEqualTo(order.orderId());
                    assertThat(emailed.customerEmail()).isEqualTo(order.email());
                    assertThat(emailed.attempt()).isEqualTo(1);
                }));
        assertThat(collected.eventsOf(firstLink))
                .anySatisfy(event -> assertThat(event).isInstanceOfSatisfying(TokenIssued.class, issued -> assertThat(
                                tokens.stream().map(TokenSecret::hashOf))
                        .contains(issued.tokenHash())));
    }

    @Test
    void paidPublishedAgainWithALineMoreIssuesAndEmailsOnlyTheNewLine() {
        String first = product();
        String second = product();
        TestOrder order = order("stripe", first);
        publish(order.event("paid", "pending"));
        List<String> firstMail = tokens(awaitEmail(order.email()));
        TestOrder more = new TestOrder(
                order.orderId(),
                order.provider(),
                order.externalId(),
                order.email(),
                List.of(order.lines().get(0), new io.drawbridge.events.OrderLine("li_2", second, 1)));

        publish(more.event("paid", "paid"));

        List<MimeMessage> mails = awaitEmails(order.email(), 2);
        List<String> secondMail = tokens(mails.get(1));
        assertThat(secondMail).hasSize(1).doesNotContainAnyElementsOf(firstMail);
        assertThat(text(mails.get(1))).contains("Product " + second).doesNotContain("Product " + first);
        assertThat(tokensOf(order)).isEqualTo(2);
        assertRedeems(secondMail.get(0));
    }

    @Test
    void aPaidOrderWithoutEmailWaitsForTheEventThatBringsIt() {
        TestOrder order = order("stripe", product());
        publish(new io.drawbridge.events.OrderStatusChanged(
                order.orderId(),
                order.provider(),
                order.externalId(),
                null,
                "paid",
                "pending",
                order.lines(),
                java.time.Instant.now()));
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM order_line WHERE order_id = :id AND last_error = 'validation_failed'",
                                order.orderId())
                        == 1);

        publish(order.event("paid", "paid"));

        assertRedeems(tokens(awaitEmail(order.email())).get(0));
        assertThat(tokensOf(order)).isEqualTo(1);
    }

    @Test
    void theSameEventTenTimesAndAnotherPaidAndFulfilledStillMakeOneLinkPerLineAndOneEmail() {
        TestOrder order = order("stripe", product(), product());

        publishRepeatedly(order.event("paid", "pending"), 10);
        publish(order.event("paid", "pending"));
        publish(order.event("fulfilled", "paid"));

        awaitOrderStatus(order, "fulfilled");
        awaitEmail(order.email());
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> TestSmtp.to(order.email()).size() == 1 && tokensOf(order) == 2);
        assertThat(tokens(TestSmtp.to(order.email()).get(0))).hasSize(2);
        assertThat(lineState(order, "li_1")).isEqualTo("issued");
        assertThat(lineState(order, "li_2")).isEqualTo("issued");
    }

    @Test
    void quantityMultipliesTheDownloadsOfTheLinesLink() {
        String sku = product();
        TestOrder order = new TestOrder(
                UUID.randomUUID().toString(),
                "stripe",
                unique("cs"),
                unique("q").toLowerCase() + "@example.com",
                List.of(new io.drawbridge.events.OrderLine("li_1", sku, 2)));

        publish(order.event("paid", null));

        assertThat(text(awaitEmail(order.email()))).contains("for up to 6 downloads.");
        assertThat(tokenView(tokenOf(order, "li_1"))).containsEntry("max_downloads", 6);
    }

    @Test
    void refundRevokesEveryLinkOfTheOrderAndItsLiveGrants() {
        TestOrder order = order("stripe", product(), product());
        publish(order.event("paid", "pending"));
        List<String> tokens = tokens(awaitEmail(order.email()));
        DownloadGranted grant = granted(redeem(tokens.get(0), "browser"));
        assertThat(grantStatusOverHttp(grant.grantId())).isEqualTo("active");

        publish(order.event("refunded", "paid"));

        UUID first = tokenOf(order, "li_1");
        UUID second = tokenOf(order, "li_2");
        await().atMost(KAFKA).until(() -> "revoked".equals(grantStatusOverHttp(grant.grantId())));
        assertThat(tokenView(first)).containsEntry("status", "revoked").containsEntry("revoke_reason", "refunded");
        assertThat(tokenView(second)).containsEntry("status", "revoked");
        Event again = redeem(tokens.get(1), "browser");
        assertThat(again).isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                .isEqualTo("token_revoked"));
        await().atMost(KAFKA).until(() -> collected.eventsOf(first).stream()
                .anyMatch(event -> event instanceof TokenRevoked revoked
                        && revoked.reason().equals("refunded")
                        && order.orderId().equals(revoked.orderId())));
        assertThat(orderView(order)).containsEntry("status", "refunded").containsEntry("revoke_reason", "refunded");
    }

    @Test
    void refundBeforePaidIssuesNothing() {
        TestOrder order = order("stripe", product());

        publish(order.event("refunded", null));
        awaitOrderStatus(order, "refunded");
        UUID paid = publishRepeatedly(order.event("paid", "pending"), 1);

        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM processed_event WHERE consumer = 'token-service.orders'"
                                        + " AND event_id = :id",
                                paid)
                        == 1);
        assertThat(tokensOf(order)).isZero();
        assertThat(lineState(order, "li_1")).isEqualTo("canceled");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> TestSmtp.to(order.email())
                .isEmpty());
        assertThat(orderView(order)).containsEntry("status", "refunded");
    }

    @Test
    void smtpDownThenUpIsRetriedWithTheSameMessageAndDelivered() {
        TestOrder order = order("stripe", product());
        TestSmtp.stop();

        publish(order.event("paid", "pending"));
        UUID link = tokenOf(order, "li_1");
        await().atMost(KAFKA).until(() -> deliveryAttempts(link) >= 1);
        assertThat(delivery(link)).isEqualTo("pending");
        TestSmtp.start();

        MimeMessage mail = awaitEmail(order.email());
        assertRedeems(tokens(mail).get(0));
        await().atMost(KAFKA).until(() -> "emailed".equals(delivery(link)));
        assertThat(deliveryAttempts(link)).isGreaterThan(1);
        assertThat((List<Map<String, Object>>) tokenView(link).get("history"))
                .extracting(entry -> entry.get("kind"))
                .contains("emailed")
                .doesNotContain("email_failed");
    }

    @Test
    void smtpDownForGoodMarksTheLinkUndeliveredAndResendMailsANewOne() throws Exception {
        String sku = product();
        TestOrder order = order("stripe", sku);
        double failed = meters.counter("drawbridge.emails", "outcome", "failed").count();
        TestSmtp.stop();

        publish(order.event("paid", "pending"));
        UUID link = tokenOf(order, "li_1");
        await().atMost(MAIL).until(() -> "failed".equals(delivery(link)));
        assertThat(meters.counter("drawbridge.emails", "outcome", "failed").count())
                .isEqualTo(failed + 1);
        assertThat(deliveryAttempts(link)).isEqualTo(6);
        Map<String, Object> failedList = admin().get()
                .uri("/api/v1/tokens?delivery=failed&email={email}", order.email())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        assertThat(failedList).containsEntry("total", 1);
        Map<String, Object> view = tokenView(link);
        assertThat((Map<String, Object>) view.get("delivery"))
                .containsEntry("status", "failed")
                .hasEntrySatisfying("error", error -> assertThat((String) error).startsWith("smtp_unavailable"));
        assertThat(attention()).contains(order.orderId());

        TestSmtp.start();
        Map<String, Object> resent = admin().post()
                .uri("/api/v1/tokens/{id}/resend", link)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        UUID fresh = id(resent, "token_id");
        assertThat(resent).containsEntry("replaces", link.toString()).containsEntry("max_downloads", 3);
        MimeMessage mail = awaitEmail(order.email());
        assertThat(mail.getSubject()).isEqualTo("Your new download link from Example Seller");
        String token = tokens(mail).get(0);
        assertThat(TokenSecret.hashOf(token))
                .isEqualTo(db.sql("SELECT token_hash FROM token WHERE id = :id")
                        .bind("id", fresh)
                        .map(row -> row.get(0, String.class))
                        .one()
                        .block());
        assertRedeems(token);
        await().atMost(KAFKA).until(() -> "emailed".equals(delivery(fresh)));
        assertThat(tokenView(link)).containsEntry("status", "revoked").containsEntry("revoke_reason", "reissued");
        assertThat(tokenOf(order, "li_1")).isEqualTo(fresh);
        assertThat(orderView(order).get("lines").toString()).contains(fresh.toString());
        assertThat(attention()).doesNotContain(order.orderId());
        admin().post()
                .uri("/api/v1/tokens/{id}/resend", link)
                .exchange()
                .expectStatus()
                .isEqualTo(status(409))
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "already_replaced"));
    }

    @Test
    void aLineWhoseProductIsUnknownIsRecordedAndIssuedWhenTheCatalogLearnsIt() {
        String later = unique("sku-later");
        TestOrder order = order("stripe", later);

        publish(order.event("paid", "pending"));
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM order_line WHERE order_id = :id AND last_error = 'unknown_product'",
                                order.orderId())
                        == 1);
        assertThat(tokensOf(order)).isZero();
        assertThat(attention()).contains(order.orderId());
        assertThat(orderView(order).get("lines").toString()).contains("unknown_product");

        productWithOneFile(later, 100);

        MimeMessage mail = awaitEmail(order.email());
        assertRedeems(tokens(mail).get(0));
        assertThat(lineState(order, "li_1")).isEqualTo("issued");
        assertThat(attention()).doesNotContain(order.orderId());
    }

    @Test
    void aDisputeRevokesTheLinksAndAWonDisputeWaitsForAnAdminToReissue() {
        TestOrder order = order("stripe", product());
        publish(order.event("paid", "pending"));
        String original = tokens(awaitEmail(order.email())).get(0);
        UUID link = tokenOf(order, "li_1");

        publish(order.event("disputed", "paid"));
        await().atMost(KAFKA).until(() -> "revoked".equals(tokenView(link).get("status")));
        publish(order.event("dispute_won", "disputed"));
        awaitOrderStatus(order, "dispute_won");

        assertThat(tokenView(link)).containsEntry("status", "revoked");
        assertThat((Map<String, Object>) tokenView(link).get("order")).containsEntry("reissue_pending", true);
        assertThat(orderView(order)).containsEntry("reissue_pending", true);
        assertThat(attention()).contains(order.orderId());
        admin().post()
                .uri("/api/v1/tokens/{id}/resend", link)
                .exchange()
                .expectStatus()
                .isEqualTo(status(409))
                .expectBody(JSON)
                .value(problem -> assertThat(problem).containsEntry("error", "order_revoked"));

        Map<String, Object> reissued = admin().post()
                .uri("/api/v1/order-links/{id}/reissue", order.orderId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        assertThat(reissued).containsEntry("reissue_pending", false).doesNotContainKey("revoked_at");
        List<MimeMessage> mails = awaitEmails(order.email(), 2);
        String fresh = tokens(mails.get(1)).get(0);
        assertThat(fresh).isNotEqualTo(original);
        assertRedeems(fresh);
        assertThat(redeem(original, "browser")).isInstanceOf(DownloadDenied.class);
        admin().post()
                .uri("/api/v1/order-links/{id}/reissue", order.orderId())
                .exchange()
                .expectStatus()
                .isEqualTo(status(409));
    }

    @Test
    void aRefundAfterTheOrderWasKnownOnlyAsPendingCancelsItsLines() {
        TestOrder order = order("stripe", product());

        publish(order.event("pending", null));
        awaitOrderStatus(order, "pending");
        assertThat(lineState(order, "li_1")).isEqualTo("waiting");
        publish(order.event("canceled", "pending"));
        awaitOrderStatus(order, "canceled");

        assertThat(lineState(order, "li_1")).isEqualTo("canceled");
        assertThat(tokensOf(order)).isZero();
    }

    @Test
    void anEmailLostWithItsProcessIsMarkedUndeliveredByTheSweep() {
        String sku = product();
        UUID link = id(issue(Map.of("customer_email", "lost@example.com", "product", sku)), "token_id");
        // What a process that died between issuing and handing the email to SMTP leaves behind.
        db.sql("UPDATE token SET delivery_status = 'pending' WHERE id = :id")
                .bind("id", link)
                .then()
                .block(KAFKA);

        clock.advance(Duration.ofMinutes(16));

        await().atMost(KAFKA).until(() -> "failed".equals(delivery(link)));
        Map<String, Object> view = tokenView(link);
        assertThat((Map<String, Object>) view.get("delivery"))
                .hasEntrySatisfying("error", error -> assertThat((String) error).startsWith("interrupted"));
        assertThat((List<Map<String, Object>>) view.get("history"))
                .extracting(entry -> entry.get("detail"))
                .contains("interrupted");
    }

    String grantStatusOverHttp(UUID grantId) {
        return (String) service()
                .get()
                .uri("/internal/v1/grants/{id}", grantId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("status");
    }

    List<String> attention() {
        Map<String, Object> page = admin().get()
                .uri("/api/v1/order-links?attention=true&size=200")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        return ((List<Map<String, Object>>) page.get("items"))
                .stream().map(item -> (String) item.get("order_id")).toList();
    }
}
