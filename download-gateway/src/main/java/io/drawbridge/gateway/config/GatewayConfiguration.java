package io.drawbridge.gateway.config;

import io.drawbridge.gateway.grant.storage.ObjectStorage;
import io.drawbridge.gateway.web.TrustedProxies;
import io.minio.MinioClient;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    GatewayInstance gatewayInstance(GatewayProperties properties) {
        return GatewayInstance.from(properties);
    }

    /**
     * The client address of every request is the connection's peer, or what a trusted proxy says it forwarded
     * ({@code drawbridge.gateway.trusted-proxies}); Boot's {@code server.forward-headers-strategy} stays off, its
     * native strategy would believe any sender.
     */
    @Bean
    NettyServerCustomizer trustedProxies(GatewayProperties properties) {
        TrustedProxies proxies = new TrustedProxies(properties.trustedProxies());
        return server -> server.forwarded(proxies);
    }

    @Bean
    MinioClient minioClient(GatewayProperties properties) {
        return ObjectStorage.client(properties.storage());
    }

    /** token-service's internal API, with the service token and bounded connect/response times. */
    @Bean
    WebClient tokenServiceClient(WebClient.Builder builder, GatewayProperties properties) {
        GatewayProperties.TokenService tokenService = properties.tokenService();
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        tokenService.timeout().toMillis())
                .responseTimeout(tokenService.timeout());
        return builder.clone()
                .baseUrl(tokenService.url().toString())
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + tokenService.serviceToken())
                .build();
    }
}
