package io.drawbridge.token.orders.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code POST /api/v1/tokens/for-order}: the storefront's order (its provider and its own id for it) and the email
 * the customer paid with; {@code platform} fixes the links this call issues to one platform's builds.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ForOrderRequest(
        @NotBlank @Size(max = 50) String provider,
        @NotBlank @Size(max = 200) String externalId,
        @NotBlank @Size(max = 320) String customerEmail,
        @Size(max = 20) String platform) {}
