-- A product's branding for the landing page, from file-service's ProductBrandingChanged (it may come before the
-- product's first release, so it has a table of its own). changed_at keeps a late redelivery from undoing a newer one.
CREATE TABLE catalog_product_branding (
    sku           text        PRIMARY KEY,
    display_name  text,
    logo_url      text,
    accent_colour text,
    support_email text,
    changed_at    timestamptz NOT NULL
);
