package io.drawbridge.token.orders.domain;

import io.drawbridge.token.issue.domain.IssuedToken;

/** A link just issued for an order line, with the product name the email titles it with. Holds the plaintext. */
public record IssuedLink(String lineId, String sku, String title, IssuedToken token) {

    @Override
    public String toString() {
        return "IssuedLink[lineId=" + lineId + ", token=" + token + "]";
    }
}
