package io.drawbridge.audit.privacy.web;

import io.drawbridge.audit.config.AuditProperties;
import io.drawbridge.audit.privacy.persistence.CustomerErasure;
import io.drawbridge.audit.privacy.persistence.ErasureReports;
import io.drawbridge.platform.web.ProblemException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code DELETE /api/v1/customers/{email}}: a customer's right to erasure, one request for every service. Here the
 * address is replaced by a stable pseudonym everywhere (counts and per-customer grouping survive), the client IPs and
 * user agents of their downloads and link views are removed, and events about them that arrive later are stored the
 * same way; the same transaction publishes the request to every other owner (token-service, order-sync-service),
 * each of which answers with what it erased. {@code GET /api/v1/erasures/{id}} (the response's {@code Location})
 * shows the answers as they arrive. Repeating the call is harmless.
 */
@RestController
class CustomerErasureController {

    private static final Logger log = LoggerFactory.getLogger(CustomerErasureController.class);

    private final CustomerErasure erasure;
    private final ErasureReports reports;
    private final List<String> owners;

    CustomerErasureController(CustomerErasure erasure, ErasureReports reports, AuditProperties properties) {
        this.erasure = erasure;
        this.reports = reports;
        this.owners = properties.erasureOwners();
    }

    /**
     * What was erased, so the operator can record it: rows whose email was replaced, per table, and rows that lost
     * client IPs or user agents. A repeated erasure answers zeros.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErasureResponse(
            UUID erasureId,
            String emailLabel,
            long auditEvents,
            long downloadLogs,
            long tokens,
            long requests,
            ClientDetailsResponse clientDetails) {}

    /** Rows that lost client IPs or user agents, per table. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ClientDetailsResponse(long auditEvents, long downloadLogs, long requests, long deliveries) {}

    /**
     * An erasure across the services: each owner's answer, and who has not answered yet.
     *
     * @param complete every owner has answered
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErasureReportResponse(
            UUID erasureId,
            Instant requestedAt,
            boolean complete,
            List<String> waitingFor,
            List<AnswerResponse> answers) {}

    /** One owner's answer: rows changed, per kind of record, in its own words. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AnswerResponse(String service, Map<String, Long> erased, Instant erasedAt) {}

    @GetMapping(path = "/api/v1/erasures/{erasureId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ErasureReportResponse> report(@PathVariable UUID erasureId) {
        return reports.find(erasureId)
                .map(report -> {
                    List<String> waiting = owners.stream()
                            .filter(owner -> report.answers().stream()
                                    .noneMatch(answer -> answer.service().equals(owner)))
                            .toList();
                    return new ErasureReportResponse(
                            erasureId,
                            report.requestedAt(),
                            waiting.isEmpty(),
                            waiting,
                            report.answers().stream()
                                    .map(answer ->
                                            new AnswerResponse(answer.service(), answer.erased(), answer.erasedAt()))
                                    .toList());
                })
                .switchIfEmpty(Mono.error(new ProblemException(
                        HttpStatus.NOT_FOUND, "not_found", "no erasure " + erasureId + " in the trail (yet)")));
    }

    @DeleteMapping(path = "/api/v1/customers/{email}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<ErasureResponse>> erase(@PathVariable String email) {
        String trimmed = email == null ? "" : email.trim();
        if (trimmed.length() < 3 || trimmed.length() > 320 || trimmed.indexOf('@') < 1) {
            return Mono.error(
                    new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", "email must be an address"));
        }
        return erasure.erase(trimmed).map(done -> {
            CustomerErasure.ClientDetailsRemoved client = done.clientDetails();
            log.info(
                    "Erasure {}: erased a customer as {}: {} audit events, {} download log rows;"
                            + " client IPs and user agents removed from {} audit events, {} download log rows",
                    done.erasureId(),
                    done.label(),
                    done.auditEvents(),
                    done.downloadLogs(),
                    client.auditEvents(),
                    client.downloadLogs());
            ErasureResponse body = new ErasureResponse(
                    done.erasureId(),
                    done.label(),
                    done.auditEvents(),
                    done.downloadLogs(),
                    done.tokens(),
                    done.requests(),
                    new ClientDetailsResponse(
                            client.auditEvents(), client.downloadLogs(), client.requests(), client.deliveries()));
            return ResponseEntity.ok()
                    .location(URI.create("/api/v1/erasures/" + done.erasureId()))
                    .body(body);
        });
    }
}
