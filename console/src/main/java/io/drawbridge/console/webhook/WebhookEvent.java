package io.drawbridge.console.webhook;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a seller can be told, by its {@code type} in the webhook's payload. */
public enum WebhookEvent {
    /** The link's first download completed (token-service's GrantSettled with downloadsConsumed = 1). */
    LINK_FIRST_DOWNLOADED("link.first_downloaded"),
    /** The link's last download was consumed (token-service's TokenExhausted). */
    LINK_USED_UP("link.used_up");

    private final String type;

    WebhookEvent(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static Optional<WebhookEvent> of(String type) {
        return Arrays.stream(values()).filter(e -> e.type.equals(type)).findFirst();
    }

    public static List<String> types() {
        return Arrays.stream(values()).map(WebhookEvent::type).toList();
    }
}
