package io.drawbridge.devstack;

import io.drawbridge.devstack.seed.CatalogSeeder;
import java.util.List;

/**
 * The demo data seeders, run in this order after every service is ready: first the catalog (file-service), then,
 * once they exist, issued links (token-service), so that the banner can print a working download link.
 */
final class DemoData {

    private DemoData() {}

    static List<DemoSeeder> seeders() {
        return List.of(new CatalogSeeder());
    }
}
