package io.drawbridge.token.delivery.domain;

import java.util.UUID;

/** Bytes {@code [start, end)} of one file of a grant ({@code fileId} null: of the ZIP of all its items). */
public record DeliveredRange(UUID fileId, long start, long end, long totalSize) {}
