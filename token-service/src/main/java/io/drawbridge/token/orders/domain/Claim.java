package io.drawbridge.token.orders.domain;

import io.drawbridge.token.issue.domain.DownloadToken;
import java.util.List;

/**
 * The answer to a storefront's claim of an order's links: the links this claim issued (with their plaintext: the
 * only time anyone but the customer's mailbox sees them), and every link of the order as stored.
 */
public record Claim(Order order, List<IssuedLink> issued, List<DownloadToken> links) {}
