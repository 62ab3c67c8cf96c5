package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Decides which address a request comes from, for rate limiting, grant IP binding and the download events.
 * {@code X-Forwarded-For} is a request header anyone can send, so it counts only when the operator says a
 * proxy in front sets it; then the last entry is used: the one that proxy appended, not one the client made up.
 */
@Component
public class ClientAddresses {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final boolean trustForwardedHeaders;

    ClientAddresses(GatewayProperties properties) {
        this.trustForwardedHeaders = properties.trustForwardedHeaders();
    }

    public String of(ServerHttpRequest request) {
        if (trustForwardedHeaders) {
            List<String> values = request.getHeaders().get(FORWARDED_FOR);
            if (values != null && !values.isEmpty()) {
                String last = values.get(values.size() - 1);
                String[] hops = last.split(",");
                String candidate = hops[hops.length - 1].trim();
                if (looksLikeAddress(candidate)) {
                    return candidate;
                }
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    static boolean looksLikeAddress(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
