package io.drawbridge.devstack;

import io.drawbridge.devstack.seed.CatalogSeeder;
import io.drawbridge.devstack.seed.TokenSeeder;
import java.util.List;

/**
 * The demo data seeders, run in this order after every service is ready: first the catalog (file-service), then a
 * link for it (token-service), so that the banner can print a working download link.
 */
final class DemoData {

    private DemoData() {}

    static List<DemoSeeder> seeders() {
        return List.of(new CatalogSeeder(), new TokenSeeder());
    }
}
