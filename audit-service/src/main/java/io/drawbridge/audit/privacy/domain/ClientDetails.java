package io.drawbridge.audit.privacy.domain;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a customer's downloads and link views came from: the client's IP address and user agent, personal data
 * that an erasure removes. They are removed, not replaced by a keyed hash like the email: a hash of an address
 * would still link the customer's downloads to every other record of that address, and nothing audit-service
 * counts needs them (the stats count downloads, bytes, platforms and customers). Removing a field is also how
 * the producers write an absent value (their records omit nulls), so a scrubbed payload still reads as its event.
 */
public final class ClientDetails {

    /** The payload fields that carry them, in every event of the catalog that has them. */
    public static final Set<String> FIELDS = Set.of("clientIp", "userAgent");

    private ClientDetails() {}

    /** A copy of {@code payload} without any of the {@link #FIELDS}, at any depth. */
    public static ObjectNode remove(ObjectNode payload) {
        ObjectNode copy = payload.deepCopy();
        walk(copy);
        return copy;
    }

    /** True when {@code payload} has one of the {@link #FIELDS} somewhere. */
    public static boolean present(JsonNode payload) {
        if (payload instanceof ObjectNode object) {
            for (String name : object.propertyNames()) {
                if (FIELDS.contains(name) || present(object.get(name))) {
                    return true;
                }
            }
        } else if (payload instanceof ArrayNode array) {
            for (JsonNode element : array) {
                if (present(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void walk(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(FIELDS);
            for (String name : List.copyOf(object.propertyNames())) {
                walk(object.get(name));
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                walk(element);
            }
        }
    }
}
