package io.drawbridge.order.stripe.domain;

import tools.jackson.databind.JsonNode;

/** Reading Stripe's JSON conventions: expandable ids, nullable strings and amounts. */
final class StripeJson {

    private StripeJson() {}

    /** A non-blank string value, or null. */
    static String text(JsonNode node) {
        if (node == null || !node.isString()) {
            return null;
        }
        String s = node.asString().strip();
        return s.isEmpty() ? null : s;
    }

    /** The id of an expandable field: the string itself, or the {@code id} of the expanded object. */
    static String idOf(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            return text(node.path("id"));
        }
        return text(node);
    }

    /** An integral amount in the smallest currency unit, or null. */
    static Long amount(JsonNode node) {
        return node != null && node.isIntegralNumber() ? node.asLong() : null;
    }
}
