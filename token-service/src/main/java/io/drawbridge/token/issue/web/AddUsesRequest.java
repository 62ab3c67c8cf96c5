package io.drawbridge.token.issue.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code POST /api/v1/tokens/{id}/add-uses}: how many more downloads the link allows. */
record AddUsesRequest(@NotNull @Min(1) @Max(100_000) Integer uses) {}
