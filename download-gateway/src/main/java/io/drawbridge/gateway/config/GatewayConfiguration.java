package io.drawbridge.gateway.config;

import io.drawbridge.gateway.grant.storage.ObjectStorage;
import io.minio.MinioClient;
import io.netty.channel.ChannelOption;
import java.time.Clock;
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
