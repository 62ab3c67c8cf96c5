package io.drawbridge.audit.downloads.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestMethod;
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
    @RouterOperation(
            path = PATH,
            method = RequestMethod.GET,
            operation =
                    @Operation(
                            operationId = "downloadLogs",
                            summary = "The download log, filtered and paged; the whole selection as CSV for a dispute",
                            parameters = {
                                @Parameter(in = ParameterIn.QUERY, name = "email"),
                                @Parameter(in = ParameterIn.QUERY, name = "order_id"),
                                @Parameter(in = ParameterIn.QUERY, name = "token_id"),
                                @Parameter(
                                        in = ParameterIn.QUERY,
                                        name = "outcome",
                                        description = "completed, failed, denied or pending"),
                                @Parameter(in = ParameterIn.QUERY, name = "from", description = "ISO-8601 instant"),
                                @Parameter(in = ParameterIn.QUERY, name = "to", description = "ISO-8601 instant"),
                                @Parameter(in = ParameterIn.QUERY, name = "page"),
                                @Parameter(in = ParameterIn.QUERY, name = "size")
                            },
                            responses =
                                    @ApiResponse(
                                            responseCode = "200",
                                            content = {
                                                @Content(mediaType = "application/json"),
                                                @Content(mediaType = "text/csv")
                                            })))
    RouterFunction<ServerResponse> downloadLogRouter(DownloadLogHandler handler) {
        return RouterFunctions.route()
                .GET(PATH, DownloadLogHandler::wantsCsv, handler::csv)
                .GET(PATH, handler::page)
                .build();
    }
}
