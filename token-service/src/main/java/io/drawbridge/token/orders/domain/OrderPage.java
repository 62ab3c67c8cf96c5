package io.drawbridge.token.orders.domain;

import java.util.List;

/** One page of orders, newest first, and how many match in all. */
public record OrderPage(List<Order> items, int page, int size, long total) {}
