package io.drawbridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class DownloadStreamsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayProperties properties = StreamAdmissionTest.properties(1, DataSize.ofMegabytes(64));
    private final StreamAdmission admission = new StreamAdmission(properties, meters, Long.MAX_VALUE, () -> 0);
    private final DownloadStreams filter = new DownloadStreams(
            admission,
            new RefusalResponses(new HtmlPages(properties), JsonMapper.builder().build(), meters));

    @Test
    void aDownloadOverTheLimitIsRefusedBeforeTheHandlerWithProblemJsonAndRetryAfter() {
        StreamAdmission.Stream inFlight = admission.admit().orElseThrow();
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/dl/some-grant").accept(MediaType.APPLICATION_JSON));
        AtomicBoolean handled = new AtomicBoolean();

        StepVerifier.create(filter.filter(exchange, e -> Mono.fromRunnable(() -> handled.set(true))))
                .verifyComplete();

        assertThat(handled).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("7");
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"error\":\"storage_unavailable\"");
        inFlight.close();
    }

    @Test
    void aDownloadHoldsItsPlaceUntilItsResponseEndsAndHeadIsNeverCounted() {
        MockServerWebExchange download = MockServerWebExchange.from(MockServerHttpRequest.get("/dl/some-grant"));
        MockServerWebExchange head = MockServerWebExchange.from(MockServerHttpRequest.head("/dl/some-grant"));

        StepVerifier.create(filter.filter(download, e -> {
                    assertThat(admission.active()).isEqualTo(1);
                    return filter.filter(head, h -> Mono.empty());
                }))
                .verifyComplete();

        assertThat(head.getResponse().getStatusCode()).isNull();
        assertThat(admission.active()).isZero();
    }
}
