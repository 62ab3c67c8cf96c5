package io.drawbridge.token.issue.web;

import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/tokens/{id}/revoke}: an optional machine reason ({@code admin} when absent). */
record RevokeRequest(@Size(max = 40) String reason) {}
