package io.drawbridge.audit.downloads.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The download log route as a router function rather than two annotated methods: two {@code produces} variants
 * of one path are ambiguous for {@code Accept: *}{@code /*} (curl's default), and this way JSON stays the
 * default while CSV is served only when asked for.
 */
@Configuration(proxyBeanMethods = false)
class DownloadLogRoutes {

    static final String PATH = "/api/v1/download-logs";

    @Bean
    RouterFunction<ServerResponse> downloadLogRouter(DownloadLogHandler handler) {
        return RouterFunctions.route()
                .GET(PATH, DownloadLogHandler::wantsCsv, handler::csv)
                .GET(PATH, handler::page)
                .build();
    }
}
