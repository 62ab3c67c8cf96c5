package io.drawbridge.gateway.web;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The address a request comes from, for rate limiting, grant IP binding and the download events (and so the audit
 * trail). It is the connection's peer as Reactor Netty reports it, which {@link TrustedProxies} has already replaced
 * with the forwarded client when, and only when, the connection comes from a trusted proxy.
 */
@Component
public class ClientAddresses {

    public String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
