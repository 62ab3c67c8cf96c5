-- How a product presents itself on the buyer's page (all optional; the gateway falls back to the seller's look).
-- The logo is an https URL (the buyer's browser loads it; no seller-supplied bytes are stored or served here).
alter table product
    add column display_name  text,
    add column logo_url      text,
    add column accent_colour text check (accent_colour ~ '^#[0-9a-f]{6}$'),
    add column support_email text;
