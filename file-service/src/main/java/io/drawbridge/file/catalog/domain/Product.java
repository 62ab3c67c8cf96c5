package io.drawbridge.file.catalog.domain;

import java.time.Instant;
import java.util.UUID;

/** Something a seller sells; links are issued per sku, and deliver its current release. */
public record Product(String sku, String name, UUID currentReleaseId, Instant createdAt) {}
