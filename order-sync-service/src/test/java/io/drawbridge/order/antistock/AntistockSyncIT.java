package io.drawbridge.order.antistock;

import static io.drawbridge.order.support.FakeAntistock.customer;
import static io.drawbridge.order.support.FakeAntistock.order;
import static io.drawbridge.order.support.StripeFixtures.event;
import static io.drawbridge.order.support.StripeFixtures.paidCheckoutSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drawbridge.order.antistock.client.AntistockApi;
import io.drawbridge.order.antistock.client.AntistockUnavailableException;
import io.drawbridge.order.support.FakeAntistock;
import io.drawbridge.order.support.FakeAntistock.Fault;
import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.OrdersTopic.Published;
import io.drawbridge.order.support.StripeFixtures;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AntistockSyncIT extends OrderSyncServiceTestSupport {

    @Autowired
    AntistockSync sync;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    MeterRegistry meters;

    @Autowired
    io.github.resilience4j.retry.RetryRegistry retries;

    private final FakeAntistock antistock = FakeAntistock.shared();

    @BeforeEach
    void freshAntistock() {
        antistock.reset();
        circuitBreakers.circuitBreaker(AntistockApi.INSTANCE).reset();
        db.sql("DELETE FROM orders.sync_cursors WHERE name = 'antistock_orders'")
                .then()
                .block();
    }

    @Test
    void pagesThroughCustomersAndOrdersAndPublishesTheirStatusChanges() {
        String a = StripeFixtures.unique("ord_");
        String b = StripeFixtures.unique("ord_");
        String c = StripeFixtures.unique("ord_");
        String cusA = StripeFixtures.unique("cus_");
        String cusB = StripeFixtures.unique("cus_");
        Instant t =
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        antistock.customerPages(List.of(
                List.of(customer(cusA, "alice@example.com", "Alice")),
                List.of(customer(cusB, "bob@example.com", "Bob"))));
        antistock.orderPages(List.of(
                List.of(order(a, cusA, "paid", t, "demo-app")),
                List.of(order(b, cusB, "pending", t.plusSeconds(1), "demo-app")),
                List.of(order(c, cusB, "refunded", t.plusSeconds(2), "demo-app"))));

        AntistockSync.Run run = sync.sync().block(Duration.ofSeconds(30));

        assertThat(run.customers()).isEqualTo(2);
        assertThat(run.orders()).isEqualTo(3);
        Published paid = awaitPublished(a, "paid");
        assertThat(paid.text("provider")).isEqualTo("antistock");
        assertThat(paid.text("customerEmail")).isEqualTo("alice@example.com");
        assertThat(paid.value().get("lines").get(0).get("sku").asString()).isEqualTo("demo-app");
        assertThat(awaitPublished(b, "pending").text("customerEmail")).isEqualTo("bob@example.com");
        awaitPublished(c, "refunded");
        assertThat(antistock.received())
                .extracting(r -> r.request().path() + "?page=" + r.request().param("page"))
                .containsExactly(
                        "/v1/customers?page=1",
                        "/v1/customers?page=2",
                        "/v1/orders?page=1",
                        "/v1/orders?page=2",
                        "/v1/orders?page=3");
        assertThat(antistock.received())
                .allSatisfy(r -> assertThat(r.request().authorization()).isEqualTo("Bearer " + FakeAntistock.TOKEN));

        // The next run asks only for what changed since the newest update seen (minus the overlap), and the same
        // statuses again change nothing.
        int before = antistock.received().size();
        AntistockSync.Run again = sync.sync().block(Duration.ofSeconds(30));
        assertThat(again.announced()).isZero();
        String since = antistock.received().subList(before, antistock.received().size()).stream()
                .filter(r -> r.request().path().equals("/v1/orders"))
                .findFirst()
                .orElseThrow()
                .request()
                .param("updated_since");
        assertThat(Instant.parse(since)).isEqualTo(t.plusSeconds(2).minus(Duration.ofMinutes(5)));

        // An order moving on at Antistock moves on here.
        antistock.orderPages(List.of(List.of(order(a, cusA, "fulfilled", t.plusSeconds(60), "demo-app"))));
        sync.sync().block(Duration.ofSeconds(30));
        assertThat(awaitPublished(a, "fulfilled").text("previousStatus")).isEqualTo("paid");
        awaitOutboxDrained();
        assertOnlyStatuses(published(a), "paid", "fulfilled");
    }

    @Test
    void aServerErrorIsRetriedWithBackoffAndTheRunSucceeds() {
        String a = StripeFixtures.unique("ord_");
        antistock.orderPages(List.of(List.of(order(a, null, "paid", Instant.now(), "demo-app"))));
        antistock.enqueue(Fault.status(500), Fault.status(502));

        AntistockSync.Run run = sync.sync().block(Duration.ofSeconds(30));

        assertThat(run.orders()).isEqualTo(1);
        awaitPublished(a, "paid");
        assertThat(antistock.received())
                .extracting(r -> r.request().path())
                .containsExactly("/v1/customers", "/v1/customers", "/v1/customers", "/v1/orders");
    }

    @Test
    void aThrottledRequestWaitsForRetryAfterBeforeTryingAgain() {
        String a = StripeFixtures.unique("ord_");
        antistock.orderPages(List.of(List.of(order(a, null, "paid", Instant.now(), "demo-app"))));
        antistock.enqueue(Fault.throttled("1"));

        sync.sync().block(Duration.ofSeconds(30));

        List<FakeAntistock.Received> received = antistock.received();
        assertThat(received.get(0).request().path()).isEqualTo("/v1/customers");
        assertThat(Duration.between(received.get(0).at(), received.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        awaitPublished(a, "paid");
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() {
        String a = StripeFixtures.unique("ord_");
        antistock.orderPages(List.of(List.of(order(a, null, "paid", Instant.now(), "demo-app"))));
        antistock.enqueue(Fault.slow(Duration.ofSeconds(5)));

        AntistockSync.Run run = sync.sync().block(Duration.ofSeconds(30));

        assertThat(run.orders()).isEqualTo(1);
        awaitPublished(a, "paid");
        assertThat(antistock.received())
                .extracting(r -> r.request().path())
                .startsWith("/v1/customers", "/v1/customers");
    }

    @Test
    void aFailingAntistockOpensTheCircuitWithoutAffectingStripeWebhooks() {
        antistock.failEveryRequestWith(500);
        double openBefore = runs("circuit_open");

        // The run retries and fails; after enough failed calls the circuit opens.
        assertThatThrownBy(() -> sync.sync().block(Duration.ofSeconds(30)))
                .isInstanceOf(AntistockUnavailableException.class);
        // Four attempts (the retry's maximum), all recorded as failures; a cold first attempt may time out
        // before it reaches the server.
        assertThat(retries.retry(AntistockApi.INSTANCE).getRetryConfig().getMaxAttempts())
                .isEqualTo(4);
        assertThat(antistock.received()).hasSizeBetween(3, 4);
        CircuitBreaker circuit = circuitBreakers.circuitBreaker(AntistockApi.INSTANCE);
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(circuit.getMetrics().getNumberOfFailedCalls()).isEqualTo(4);

        // While open, a run fails at once without calling Antistock.
        int calls = antistock.received().size();
        assertThatThrownBy(() -> sync.sync().block(Duration.ofSeconds(30)))
                .isInstanceOf(CallNotPermittedException.class);
        assertThat(antistock.received()).hasSize(calls);
        assertThat(runs("circuit_open")).isEqualTo(openBefore + 1);

        // Stripe keeps working.
        String pi = StripeFixtures.unique("pi_");
        deliver(event("checkout.session.completed", paidCheckoutSession(pi, "stripe@example.com", "demo-app")))
                .expectStatus()
                .isOk();
        awaitPublished(pi, "paid");
    }

    private double runs(String outcome) {
        var counter = meters.find("drawbridge.order.sync.runs")
                .tag("job", "antistock_sync")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
