package io.drawbridge.gateway.web;

import io.netty.channel.Channel;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * What every download stream ({@code GET /dl/**}) gets from the web layer, whatever the handler streams:
 *
 * <ul>
 *   <li>admission ({@link StreamAdmission}): under memory pressure or at the stream limit a new download is refused
 *       (503 with {@code Retry-After}) before it starts, so that streams in flight keep their memory;
 *   <li>a bounded body ({@link WritabilityGate}): the body is let through only as fast as the client's connection
 *       takes it, so a slow client holds a few buffers, not megabytes.
 * </ul>
 *
 * <p>A body that fails after the commit is left to Reactor Netty, which closes the connection without the HTTP
 * "last content": a body with a Content-Length ends short of it, a chunked one (the streamed ZIP) without its
 * terminating chunk, so a cut download never looks complete (InterruptedStreamIT holds it to that).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class DownloadStreams implements WebFilter {

    private final StreamAdmission admission;
    private final RefusalResponses refusals;

    DownloadStreams(StreamAdmission admission, RefusalResponses refusals) {
        this.admission = admission;
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.GET
                || !exchange.getRequest()
                        .getPath()
                        .pathWithinApplication()
                        .value()
                        .startsWith("/dl/")) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            Optional<StreamAdmission.Stream> admitted = admission.admit();
            if (admitted.isEmpty()) {
                return refusals.write(exchange, admission.refusal());
            }
            StreamAdmission.Stream stream = admitted.get();
            ServerWebExchange streaming = exchange.mutate()
                    .response(new StreamingResponse(exchange.getResponse()))
                    .build();
            return chain.filter(streaming).doFinally(signal -> stream.close());
        });
    }

    /** The response with its body let through as the connection takes it. */
    private static final class StreamingResponse extends ServerHttpResponseDecorator {

        StreamingResponse(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            Optional<Channel> channel = channel();
            return super.writeWith(channel.isEmpty() ? body : WritabilityGate.gate(Flux.from(body), channel.get()));
        }

        private Optional<Channel> channel() {
            return ServerHttpResponseDecorator.getNativeResponse(getDelegate()) instanceof Connection connection
                    ? Optional.of(connection.channel())
                    : Optional.empty();
        }
    }
}
