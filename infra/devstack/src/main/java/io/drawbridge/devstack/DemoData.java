package io.drawbridge.devstack;

import java.util.List;

/**
 * The demo data seeders, run in this order after every service is ready. Empty until the features exist: products
 * and releases (file-service), then issued links (token-service), so that the banner can print a working download
 * link.
 */
final class DemoData {

    private DemoData() {}

    static List<DemoSeeder> seeders() {
        return List.of();
    }
}
