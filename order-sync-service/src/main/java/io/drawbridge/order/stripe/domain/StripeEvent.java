package io.drawbridge.order.stripe.domain;

import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Stripe {@code event} envelope, as delivered to the webhook or listed by {@code GET /v1/events}. Only the
 * envelope is checked here; what {@code data.object} means is up to {@link StripeEventInterpreter}.
 *
 * @param json the whole event, as stored in the receipt
 */
public record StripeEvent(String id, String type, Instant created, boolean livemode, JsonNode json) {

    /** 9999-12-31T23:59:59Z: a {@code created} beyond it is not a time Stripe sends (nor one an Instant holds). */
    private static final long LAST_CREATED = 253_402_300_799L;

    /** The event's {@code data.object}. */
    public JsonNode object() {
        return json.path("data").path("object");
    }

    /** Parses and checks an event envelope; throws a {@code malformed_payload} rejection when it is not one. */
    public static StripeEvent parse(ObjectMapper mapper, byte[] payload) {
        JsonNode json;
        try {
            json = mapper.readTree(payload);
        } catch (JacksonException e) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        return of(json);
    }

    /** Checks an already parsed event envelope. */
    public static StripeEvent of(JsonNode json) {
        if (json == null
                || !json.isObject()
                || !"event".equals(json.path("object").asString(""))
                || !json.path("id").isString()
                || json.path("id").asString().isBlank()
                || !json.path("type").isString()
                || json.path("type").asString().isBlank()
                || !json.path("created").isIntegralNumber()
                || !json.path("created").canConvertToLong()
                || json.path("created").asLong() < 0
                || json.path("created").asLong() > LAST_CREATED
                || !json.path("data").path("object").isObject()) {
            throw new WebhookRejectedException(WebhookRejection.MALFORMED_PAYLOAD);
        }
        return new StripeEvent(
                json.path("id").asString(),
                json.path("type").asString(),
                Instant.ofEpochSecond(json.path("created").asLong()),
                json.path("livemode").asBoolean(false),
                json);
    }
}
