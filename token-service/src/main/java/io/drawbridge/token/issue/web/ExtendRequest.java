package io.drawbridge.token.issue.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/tokens/{id}/extend}: how many hours later the link expires. */
record ExtendRequest(@NotNull @Min(1) @Max(87_600) Integer hours) {}
