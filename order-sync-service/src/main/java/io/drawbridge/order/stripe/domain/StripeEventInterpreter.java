package io.drawbridge.order.stripe.domain;

import io.drawbridge.order.ledger.domain.LineItem;
import io.drawbridge.order.ledger.domain.OrderFact;
import io.drawbridge.order.ledger.domain.OrderStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns a Stripe event into an {@link OrderFact}. An order is keyed by its PaymentIntent id, which every event of
 * a PaymentIntent-based payment carries (sessions, intents, charges, disputes); a legacy charge without an intent
 * is keyed by its charge id, a session without an intent by its session id.
 *
 * <p>Mapping (documented in the README):
 *
 * <ul>
 *   <li>{@code checkout.session.completed}: {@code paid} when {@code payment_status} is {@code paid} or {@code
 *       no_payment_required}, {@code pending} otherwise (asynchronous payment methods);
 *   <li>{@code checkout.session.async_payment_succeeded}, {@code payment_intent.succeeded}: {@code paid};
 *   <li>{@code payment_intent.canceled}: {@code canceled};
 *   <li>{@code charge.refunded}: {@code refunded} when the charge is fully refunded; a partial refund only records
 *       the refunded amount;
 *   <li>{@code charge.dispute.created}: {@code disputed};
 *   <li>{@code charge.dispute.closed}: {@code dispute_won} ({@code won}, {@code warning_closed}) or {@code
 *       dispute_lost} ({@code lost}).
 * </ul>
 */
public final class StripeEventInterpreter {

    public static final String PROVIDER = "stripe";

    private final StripeSkuMapping skus;

    public StripeEventInterpreter(StripeSkuMapping skus) {
        this.skus = skus;
    }

    public StripeInterpretation interpret(StripeEvent event, String source) {
        JsonNode object = event.object();
        return switch (event.type()) {
            case StripeEventTypes.CHECKOUT_SESSION_COMPLETED,
                    StripeEventTypes.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED -> checkoutSession(event, object, source);
            case StripeEventTypes.PAYMENT_INTENT_SUCCEEDED -> paymentIntent(event, object, OrderStatus.PAID, source);
            case StripeEventTypes.PAYMENT_INTENT_CANCELED -> paymentIntent(event, object, OrderStatus.CANCELED, source);
            case StripeEventTypes.CHARGE_REFUNDED -> chargeRefunded(event, object, source);
            case StripeEventTypes.CHARGE_DISPUTE_CREATED -> dispute(event, object, OrderStatus.DISPUTED, source);
            case StripeEventTypes.CHARGE_DISPUTE_CLOSED -> disputeClosed(event, object, source);
            default -> new StripeInterpretation.Ignored("unhandled_type");
        };
    }

    private StripeInterpretation checkoutSession(StripeEvent event, JsonNode session, String source) {
        if (!"checkout.session".equals(session.path("object").asString(""))) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        String sessionId = StripeJson.text(session.path("id"));
        String paymentIntent = StripeJson.idOf(session.path("payment_intent"));
        String externalId = paymentIntent != null ? paymentIntent : sessionId;
        if (externalId == null) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        String paymentStatus = session.path("payment_status").asString("");
        OrderStatus status = StripeEventTypes.CHECKOUT_SESSION_ASYNC_PAYMENT_SUCCEEDED.equals(event.type())
                        || paymentStatus.equals("paid")
                        || paymentStatus.equals("no_payment_required")
                ? OrderStatus.PAID
                : OrderStatus.PENDING;

        JsonNode details = session.path("customer_details");
        String email = firstText(details.path("email"), session.path("customer_email"));
        List<LineItem> lines = new ArrayList<>();
        LineItem fromMetadata = StripeSkuMapping.lineFromMetadata(sessionId, session.path("metadata"));
        String fetchLinesOf = null;
        if (fromMetadata != null) {
            lines.add(fromMetadata);
        } else if (session.path("line_items").path("data").isArray()) {
            session.path("line_items").path("data").forEach(item -> lines.add(skus.lineOf(item)));
        } else {
            fetchLinesOf = sessionId;
        }
        OrderFact fact = OrderFact.of(PROVIDER, externalId, status, event.created(), source, event.id())
                .withCustomer(email, StripeJson.idOf(session.path("customer")), StripeJson.text(details.path("name")))
                .withLines(lines)
                .withAmounts(
                        StripeJson.amount(session.path("amount_total")),
                        null,
                        StripeJson.text(session.path("currency")))
                .withStripeRefs(null, sessionId);
        return new StripeInterpretation.Applies(fact, fetchLinesOf);
    }

    private StripeInterpretation paymentIntent(StripeEvent event, JsonNode intent, OrderStatus status, String source) {
        String id = requireObject(intent, "payment_intent");
        List<LineItem> lines = new ArrayList<>();
        LineItem fromMetadata = StripeSkuMapping.lineFromMetadata(id, intent.path("metadata"));
        if (fromMetadata != null) {
            lines.add(fromMetadata);
        }
        Long received = StripeJson.amount(intent.path("amount_received"));
        Long amount = status == OrderStatus.PAID && received != null && received > 0
                ? received
                : StripeJson.amount(intent.path("amount"));
        OrderFact fact = OrderFact.of(PROVIDER, id, status, event.created(), source, event.id())
                .withCustomer(
                        StripeJson.text(intent.path("receipt_email")), StripeJson.idOf(intent.path("customer")), null)
                .withLines(lines)
                .withAmounts(amount, null, StripeJson.text(intent.path("currency")))
                .withStripeRefs(StripeJson.idOf(intent.path("latest_charge")), null);
        return new StripeInterpretation.Applies(fact, null);
    }

    private StripeInterpretation chargeRefunded(StripeEvent event, JsonNode charge, String source) {
        String chargeId = requireObject(charge, "charge");
        String paymentIntent = StripeJson.idOf(charge.path("payment_intent"));
        boolean full = charge.path("refunded").asBoolean(false);
        OrderFact fact = OrderFact.of(
                        PROVIDER,
                        paymentIntent != null ? paymentIntent : chargeId,
                        full ? OrderStatus.REFUNDED : null,
                        event.created(),
                        source,
                        event.id())
                .withCustomer(
                        firstText(charge.path("billing_details").path("email"), charge.path("receipt_email")),
                        StripeJson.idOf(charge.path("customer")),
                        null)
                .withAmounts(
                        StripeJson.amount(charge.path("amount")),
                        StripeJson.amount(charge.path("amount_refunded")),
                        StripeJson.text(charge.path("currency")))
                .withStripeRefs(chargeId, null);
        return new StripeInterpretation.Applies(fact, null);
    }

    private StripeInterpretation disputeClosed(StripeEvent event, JsonNode dispute, String source) {
        String outcome = dispute.path("status").asString("");
        return switch (outcome) {
            case "won", "warning_closed" -> dispute(event, dispute, OrderStatus.DISPUTE_WON, source);
            case "lost" -> dispute(event, dispute, OrderStatus.DISPUTE_LOST, source);
            default -> new StripeInterpretation.Ignored("dispute_status_" + sanitize(outcome));
        };
    }

    private StripeInterpretation dispute(StripeEvent event, JsonNode dispute, OrderStatus status, String source) {
        requireObject(dispute, "dispute");
        String chargeId = StripeJson.idOf(dispute.path("charge"));
        String paymentIntent = StripeJson.idOf(dispute.path("payment_intent"));
        String externalId = paymentIntent != null ? paymentIntent : chargeId;
        if (externalId == null) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        OrderFact fact = OrderFact.of(PROVIDER, externalId, status, event.created(), source, event.id())
                .withStripeRefs(chargeId, null);
        return new StripeInterpretation.Applies(fact, null);
    }

    private static String requireObject(JsonNode object, String expectedType) {
        String id = StripeJson.text(object.path("id"));
        if (!expectedType.equals(object.path("object").asString("")) || id == null) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        return id;
    }

    private static String firstText(JsonNode a, JsonNode b) {
        String first = StripeJson.text(a);
        return first != null ? first : StripeJson.text(b);
    }

    private static String sanitize(String s) {
        return s.isEmpty() ? "unknown" : s.replaceAll("[^a-z_]", "");
    }
}
