package io.drawbridge.gateway.config;

import java.util.UUID;

/**
 * Who this gateway process is. Replies to redemptions are consumed by every instance from every partition, each
 * with its own consumer group, so the id must be unique per process, not per deployment.
 *
 * @param id goes into DownloadRequested.gatewayId and the reply consumer group
 */
public record GatewayInstance(String id) {

    static GatewayInstance from(GatewayProperties properties) {
        if (!properties.instanceId().isBlank()) {
            return new GatewayInstance(properties.instanceId());
        }
        String host = System.getenv().getOrDefault("HOSTNAME", "gateway");
        return new GatewayInstance(host + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The consumer group of this instance's reply listener. */
    public String replyGroupId() {
        return "download-gateway-replies-" + id;
    }
}
