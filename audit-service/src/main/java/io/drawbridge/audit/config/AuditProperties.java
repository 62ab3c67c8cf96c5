package io.drawbridge.audit.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * audit-service settings ({@code drawbridge.audit.*}).
 *
 * @param erasureSalt secret key of the hash that replaces an erased customer's email ({@code
 *     DRAWBRIDGE_AUDIT_ERASURE_SALT}); keyed so that a label cannot be reversed by hashing guessed addresses
 * @param processingTimeout how long the Kafka listener waits for the database transaction of one poll's events
 * @param retention how long rows are kept, and how often the purge runs
 * @param erasureOwners the services that keep something about customers and answer an erasure request (the report
 *     of an erasure is complete when each has answered)
 */
@Validated
@ConfigurationProperties("drawbridge.audit")
public record AuditProperties(
        @NotBlank String erasureSalt,
        @DefaultValue("30s") @NotNull Duration processingTimeout,
        @DefaultValue @Valid Retention retention,
        @DefaultValue({"audit-service", "token-service", "order-sync-service"}) @NotEmpty List<String> erasureOwners) {

    /**
     * @param downloadLogs age (by start) after which download log rows and their facts are deleted
     * @param auditEvents age (by occurred_at) after which audit trail rows are deleted
     * @param purgeInterval pause between two purges
     * @param batchSize rows deleted per statement, so a purge never holds long locks
     */
    public record Retention(
            @DefaultValue("400d") @NotNull Duration downloadLogs,
            @DefaultValue("400d") @NotNull Duration auditEvents,
            @DefaultValue("1h") @NotNull Duration purgeInterval,
            @DefaultValue("5000") @Min(1) int batchSize) {}

    @Override
    public String toString() {
        return "AuditProperties[erasureSalt=(set), processingTimeout=" + processingTimeout + ", retention=" + retention
                + ", erasureOwners=" + erasureOwners + "]";
    }
}
