package io.drawbridge.token.issue.web;

import io.drawbridge.token.issue.domain.IssueCommand;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code POST /api/v1/tokens/batch}: {@code count} links with order ids {@code <order_prefix>-0001...}, otherwise
 * as {@link IssueTokenRequest}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record IssueBatchRequest(
        @NotNull @Min(1) Integer count,
        @NotBlank @Size(max = 100) String orderPrefix,
        @NotBlank @Size(max = 320) String customerEmail,
        @Size(max = 200) String product,
        @Size(max = 100) List<UUID> files,
        @Size(max = 20) String platform,
        @Min(1) Integer maxDownloads,
        @Min(1) @Max(87600) Integer expiresInHours,
        Boolean requireEmail,
        @Size(max = 2000) String note) {

    IssueCommand toCommand() {
        return new IssueCommand(
                customerEmail,
                null,
                null,
                product,
                files,
                platform,
                maxDownloads,
                expiresInHours == null ? null : Duration.ofHours(expiresInHours),
                Boolean.TRUE.equals(requireEmail),
                note);
    }
}
