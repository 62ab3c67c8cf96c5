package io.drawbridge.order.antistock.client;

/** A customer as Antistock lists it. */
public record AntistockCustomer(String id, String email, String name) {}
