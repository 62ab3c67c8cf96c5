package io.drawbridge.devstack;

import java.util.List;

/**
 * A step that fills the dev stack with demo data once every service is ready. Seeders go through the services' HTTP
 * APIs (never their tables), like any client would, so demo data is also a smoke test of those APIs. They run on every
 * start against persisted data, so each must be idempotent: look before creating (see
 * {@link DemoContext#freshData()}). Register new seeders in {@link DemoData#seeders()}.
 */
public interface DemoSeeder {

    /** A short name for the console. */
    String name();

    /**
     * Creates the demo data that is missing.
     *
     * @return lines for the banner, e.g. a working download link; empty for none
     */
    List<String> seed(DemoContext context) throws Exception;
}
