-- token-service schema: download tokens, grants, the catalog read model and the redemption log.
-- The plaintext token is never stored: only the lowercase hex SHA-256 of the token string.

CREATE TABLE token (
    id              uuid        PRIMARY KEY,
    token_hash      char(64)    NOT NULL UNIQUE,
    customer_email  text        NOT NULL,
    order_id        text,
    order_line_id   text,
    product_sku     text,
    platform        text,
    require_email   boolean     NOT NULL DEFAULT false,
    note            text,
    max_downloads   integer     NOT NULL CHECK (max_downloads > 0),
    consumed        integer     NOT NULL DEFAULT 0 CHECK (consumed >= 0),
    reserved        integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    bytes_delivered bigint      NOT NULL DEFAULT 0,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text,
    exhausted_at    timestamptz,
    CONSTRAINT token_uses_within_limit CHECK (consumed + reserved <= max_downloads)
);
CREATE INDEX token_email_idx ON token (lower(customer_email));
CREATE INDEX token_order_idx ON token (order_id);
CREATE INDEX token_issued_idx ON token (issued_at DESC, id);

-- Files of a token issued for explicit files (instead of a product).
CREATE TABLE token_file (
    token_id uuid    NOT NULL REFERENCES token (id),
    file_id  uuid    NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (token_id, file_id)
);

-- A grant reserves one use of a token for a short time; holds_use says whether it still does.
CREATE TABLE download_grant (
    id           uuid        PRIMARY KEY,
    token_id     uuid        NOT NULL REFERENCES token (id),
    request_id   uuid        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('active', 'completed', 'released', 'revoked')),
    holds_use    boolean     NOT NULL,
    client_ip    text        NOT NULL,
    user_agent   text        NOT NULL,
    platform     text,
    archive_name text,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    settled_at   timestamptz
);
CREATE INDEX download_grant_token_idx ON download_grant (token_id, created_at);
CREATE INDEX download_grant_live_idx ON download_grant (expires_at) WHERE status = 'active';

CREATE TABLE grant_item (
    grant_id     uuid    NOT NULL REFERENCES download_grant (id),
    position     integer NOT NULL,
    file_id      uuid    NOT NULL,
    object_key   text    NOT NULL,
    name         text    NOT NULL,
    size         bigint  NOT NULL,
    sha256       text    NOT NULL,
    content_type text    NOT NULL,
    platform     text,
    PRIMARY KEY (grant_id, file_id)
);

-- Byte ranges delivered per grant and file (file_id NULL = the ZIP of all items), [range_start, range_end).
CREATE TABLE delivered_range (
    id          bigserial   PRIMARY KEY,
    grant_id    uuid        NOT NULL REFERENCES download_grant (id),
    file_id     uuid,
    range_start bigint      NOT NULL CHECK (range_start >= 0),
    range_end   bigint      NOT NULL CHECK (range_end >= range_start),
    total_size  bigint      NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX delivered_range_grant_idx ON delivered_range (grant_id);

-- The answer given to each download request, so that a redelivered request is answered again, not re-applied.
CREATE TABLE redemption (
    request_id          uuid        PRIMARY KEY,
    token_id            uuid,
    grant_id            uuid,
    outcome             text        NOT NULL CHECK (outcome IN ('granted', 'denied')),
    reused              boolean     NOT NULL DEFAULT false,
    downloads_remaining integer,
    reason              text,
    detail              text,
    answered_at         timestamptz NOT NULL
);
CREATE INDEX redemption_answered_idx ON redemption (answered_at);

-- What happened to a token, for the admin's token view.
CREATE TABLE token_history (
    id          bigserial   PRIMARY KEY,
    token_id    uuid        NOT NULL REFERENCES token (id),
    kind        text        NOT NULL,
    grant_id    uuid,
    detail      text,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX token_history_token_idx ON token_history (token_id, id);

-- Catalog read model, built from FileStored / FileDeleted / ReleasePublished.
CREATE TABLE catalog_file (
    file_id      uuid        PRIMARY KEY,
    object_key   text        NOT NULL,
    name         text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    content_type text        NOT NULL,
    scan_status  text,
    stored_at    timestamptz NOT NULL,
    deleted_at   timestamptz
);

CREATE TABLE catalog_release (
    release_id   uuid        PRIMARY KEY,
    sku          text        NOT NULL,
    product_name text        NOT NULL,
    version      text        NOT NULL,
    notes        text,
    published_at timestamptz NOT NULL
);
CREATE INDEX catalog_release_sku_idx ON catalog_release (sku, published_at DESC);

CREATE TABLE catalog_release_file (
    release_id uuid    NOT NULL REFERENCES catalog_release (release_id),
    platform   text    NOT NULL,
    position   integer NOT NULL,
    file_id    uuid    NOT NULL,
    PRIMARY KEY (release_id, platform, file_id)
);

-- The product's current release: the one published last.
CREATE TABLE catalog_product (
    sku                text        PRIMARY KEY,
    product_name       text        NOT NULL,
    current_release_id uuid        NOT NULL REFERENCES catalog_release (release_id),
    published_at       timestamptz NOT NULL
);
