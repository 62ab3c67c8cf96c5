package io.drawbridge.gateway.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpServer;

/**
 * Gives every client connection the watch that wakes a download body held back by {@link WritabilityGate}. First in
 * the pipeline: writability events start at its head, and Reactor Netty's own handler does not pass them on.
 */
@Component
class WritabilityWatchInstaller implements NettyServerCustomizer {

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) ->
                channel.pipeline().addFirst(WritabilityGate.NAME, WritabilityGate.watch()));
    }
}
