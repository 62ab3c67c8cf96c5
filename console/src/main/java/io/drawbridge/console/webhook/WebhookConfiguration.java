package io.drawbridge.console.webhook;

import io.drawbridge.platform.schedule.RecurringJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/** The webhook sender and its schedule. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    WebhookSender webhookSender(
            WebhookDeliveries deliveries,
            WebhookEndpoints endpoints,
            WebhookProperties properties,
            WebClient.Builder builder,
            MeterRegistry meters) {
        // Its own client: no redirects (a 3xx is a failed attempt, not an invitation to call another host), bounded
        // connect and response times.
        HttpClient client = HttpClient.create()
                .followRedirect(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, properties.timeout().toMillis()))
                .responseTimeout(properties.timeout());
        WebClient http = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(client))
                .defaultHeader("User-Agent", "Drawbridge-Webhooks/1")
                .build();
        return new WebhookSender(deliveries, endpoints, properties, http, meters);
    }

    @Bean
    RecurringJob webhookSenderJob(WebhookSender sender, WebhookProperties properties) {
        return new RecurringJob(
                "webhook deliveries", properties.pollInterval(), properties.pollInterval(), sender::sendDue);
    }
}
