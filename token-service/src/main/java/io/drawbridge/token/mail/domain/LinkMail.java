package io.drawbridge.token.mail.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An email carrying links to their customer, held in memory only: it holds the plaintext links, which exist nowhere
 * else once issued, so it is never stored, queued or logged ({@link #toString()} shows token ids only).
 *
 * @param orderReference what the customer knows the order by (the storefront's id), null for links without order
 * @param replacement whether the links replace ones sent before (a re-send)
 */
public record LinkMail(String recipient, String orderReference, boolean replacement, List<Link> links) {

    /** One link as the email shows it. */
    public record Link(UUID tokenId, String title, String url, Instant expiresAt, int maxDownloads) {

        @Override
        public String toString() {
            return "Link[tokenId=" + tokenId + "]";
        }
    }

    public LinkMail {
        links = List.copyOf(links);
    }

    public List<UUID> tokenIds() {
        return links.stream().map(Link::tokenId).toList();
    }

    @Override
    public String toString() {
        return "LinkMail[tokens=" + tokenIds() + ", replacement=" + replacement + "]";
    }
}
