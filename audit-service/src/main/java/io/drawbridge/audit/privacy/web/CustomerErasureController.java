package io.drawbridge.audit.privacy.web;

import io.drawbridge.audit.privacy.persistence.CustomerErasure;
import io.drawbridge.platform.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code DELETE /api/v1/customers/{email}}: a customer's right to erasure. The address is replaced by a stable
 * pseudonym everywhere (counts and per-customer grouping survive), the client IPs and user agents of their
 * downloads and link views are removed, and events about them that arrive later are stored the same way.
 * Repeating the call is harmless.
 */
@RestController
class CustomerErasureController {

    private static final Logger log = LoggerFactory.getLogger(CustomerErasureController.class);

    private final CustomerErasure erasure;

    CustomerErasureController(CustomerErasure erasure) {
        this.erasure = erasure;
    }

    /**
     * What was erased, so the operator can record it: rows whose email was replaced, per table, and rows that lost
     * client IPs or user agents. A repeated erasure answers zeros.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErasureResponse(
            String emailLabel,
            long auditEvents,
            long downloadLogs,
            long tokens,
            long requests,
            ClientDetailsResponse clientDetails) {}

    /** Rows that lost client IPs or user agents, per table. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ClientDetailsResponse(long auditEvents, long downloadLogs, long requests, long deliveries) {}

    @DeleteMapping(path = "/api/v1/customers/{email}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ErasureResponse> erase(@PathVariable String email) {
        String trimmed = email == null ? "" : email.trim();
        if (trimmed.length() < 3 || trimmed.length() > 320 || trimmed.indexOf('@') < 1) {
            return Mono.error(
                    new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", "email must be an address"));
        }
        return erasure.erase(trimmed).map(done -> {
            CustomerErasure.ClientDetailsRemoved client = done.clientDetails();
            log.info(
                    "Erased a customer as {}: {} audit events, {} download log rows;"
                            + " client IPs and user agents removed from {} audit events, {} download log rows",
                    done.label(),
                    done.auditEvents(),
                    done.downloadLogs(),
                    client.auditEvents(),
                    client.downloadLogs());
            return new ErasureResponse(
                    done.label(),
                    done.auditEvents(),
                    done.downloadLogs(),
                    done.tokens(),
                    done.requests(),
                    new ClientDetailsResponse(
                            client.auditEvents(), client.downloadLogs(), client.requests(), client.deliveries()));
        });
    }
}
