package io.drawbridge.audit.privacy.domain;

import io.drawbridge.audit.trail.domain.EventReferences;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Replaces an erased customer's email with a label derived from it by a keyed hash (HMAC-SHA256 with the
 * erasure salt). The same address always gives the same label, so counts of customers and the grouping of one
 * customer's downloads survive the erasure, while the address itself cannot be recovered from the label (nor
 * found by hashing guesses without the salt).
 */
public final class EmailPseudonyms {

    private static final String LABEL_PREFIX = "erased-";
    private static final Pattern LABEL = Pattern.compile(LABEL_PREFIX + "[0-9a-f]{16}");

    private final SecretKeySpec key;

    public EmailPseudonyms(String salt) {
        this.key = new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The full keyed hash of the normalised address, hex; stored to recognise the customer's late events. */
    public String hash(String email) {
        String normalized = EventReferences.normalizeEmail(email);
        if (normalized == null) {
            throw new IllegalArgumentException("no email");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** What replaces the address: {@code erased-} and the first 16 hex digits of its keyed hash. */
    public String label(String email) {
        return labelOfHash(hash(email));
    }

    public static String labelOfHash(String hash) {
        return LABEL_PREFIX + hash.substring(0, 16);
    }

    /**
     * True for a value that is already a label. The whole shape is checked, not the prefix: a customer's address
     * may well start with {@code erased-}, and must still be pseudonymised.
     */
    public static boolean isLabel(String value) {
        return value != null && LABEL.matcher(value).matches();
    }

    /**
     * A copy of {@code payload} where every string equal to one of the keys of {@code replacements} (compared
     * normalised, so case and surrounding blanks do not matter), at any depth, is replaced by its value.
     */
    public static ObjectNode replace(ObjectNode payload, Map<String, String> replacements) {
        ObjectNode copy = payload.deepCopy();
        walk(copy, replacements);
        return copy;
    }

    private static void walk(JsonNode node, Map<String, String> replacements) {
        if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(name);
                String replacement = replacementFor(value, replacements);
                if (replacement != null) {
                    object.set(name, StringNode.valueOf(replacement));
                } else {
                    walk(value, replacements);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String replacement = replacementFor(array.get(i), replacements);
                if (replacement != null) {
                    array.set(i, StringNode.valueOf(replacement));
                } else {
                    walk(array.get(i), replacements);
                }
            }
        }
    }

    private static String replacementFor(JsonNode value, Map<String, String> replacements) {
        if (value == null || !value.isString()) {
            return null;
        }
        return replacements.get(EventReferences.normalizeEmail(value.stringValue()));
    }
}
