package io.drawbridge.token.catalog.domain;

/**
 * Published in the application (not on Kafka) once a release of {@code sku} is in the read model, so that what
 * waited for the product (order lines paid before the catalog knew it) is retried at once.
 */
public record ProductReleased(String sku) {}
