package io.drawbridge.token.orders.domain;

import io.drawbridge.token.issue.domain.DownloadToken;
import java.util.List;

/** An order with every link it ever had (re-sent ones included), for the admin's order view. */
public record OrderDetails(Order order, List<DownloadToken> links) {}
