package io.drawbridge.token.issue.domain;

import io.drawbridge.events.ProductBranding;
import java.util.List;

/**
 * What the gateway's landing page shows about a link before anyone redeems it: the token, the product's name and
 * the files a download would deliver (all platforms of the current release, so the page can offer a choice) and
 * the product's branding.
 */
public record LinkPreview(DownloadToken token, String productName, List<Item> items, ProductBranding branding) {

    /** A file as shown on the landing page. */
    public record Item(String name, long size, String sha256, String platform) {}

    public LinkPreview {
        items = List.copyOf(items);
        branding = branding == null ? ProductBranding.NONE : branding;
    }

    /** A link to files, not to a product: no branding. */
    public LinkPreview(DownloadToken token, String productName, List<Item> items) {
        this(token, productName, items, ProductBranding.NONE);
    }
}
