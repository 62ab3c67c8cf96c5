package io.drawbridge.order.privacy.domain;

import io.drawbridge.events.CustomerErasureRequested;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Erases a customer from a stored Stripe event: every string that is their address (compared as {@link
 * CustomerErasureRequested#emailHash(String) its hash}) becomes the label, and the name, phone and postal address
 * of the objects Stripe keeps about the person paying ({@code customer_details}, {@code billing_details}, {@code
 * shipping}, {@code shipping_details}, {@code collected_information}) become null. Everything an order needs
 * (ids, amounts, statuses, metadata) stays, so a stored receipt can still be processed.
 */
public final class StripePayloadErasure {

    private static final Set<String> PERSON =
            Set.of("customer_details", "billing_details", "shipping", "shipping_details", "collected_information");
    private static final Set<String> PERSONAL_FIELDS = Set.of("name", "phone", "address", "individual_name");

    private StripePayloadErasure() {}

    /** Erases in place; whether anything changed. */
    public static boolean erase(JsonNode node, String emailHash, String label) {
        return erase(node, emailHash, label, false);
    }

    private static boolean erase(JsonNode node, String emailHash, String label, boolean person) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : Set.copyOf(object.properties())) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (person && PERSONAL_FIELDS.contains(name) && !value.isNull()) {
                    object.putNull(name);
                    changed = true;
                } else if (value.isString() && isAddress(value.asString(), emailHash)) {
                    object.put(name, label);
                    changed = true;
                } else if (value.isContainer()) {
                    changed |= erase(value, emailHash, label, person || PERSON.contains(name));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isString() && isAddress(value.asString(), emailHash)) {
                    array.set(i, array.stringNode(label));
                    changed = true;
                } else if (value.isContainer()) {
                    changed |= erase(value, emailHash, label, person);
                }
            }
        }
        return changed;
    }

    private static boolean isAddress(String text, String emailHash) {
        return text.indexOf('@') > 0 && CustomerErasureRequested.emailHash(text).equals(emailHash);
    }
}
