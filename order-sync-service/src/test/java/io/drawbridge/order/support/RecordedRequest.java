package io.drawbridge.order.support;

import java.util.List;
import java.util.Map;

/** A request one of the fake third-party servers received. */
public record RecordedRequest(String path, Map<String, List<String>> query, String authorization) {

    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
