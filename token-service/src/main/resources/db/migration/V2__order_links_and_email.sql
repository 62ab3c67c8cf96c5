-- Order links: token-service's read model of orders (from OrderStatusChanged), the link issued per order line,
-- and the email that carries a link to its customer. The plaintext token is still never stored: not here, not in
-- a retry queue. A link whose email could not be sent is marked so and re-sent as a new link.

-- Where a link came from, and how its plaintext reached someone: 'response' = handed out in the admin API's
-- response only; 'pending' = an email is being sent; 'emailed' = accepted by SMTP; 'failed' = it was not.
ALTER TABLE token
    ADD COLUMN source             text        NOT NULL DEFAULT 'admin' CHECK (source IN ('admin', 'bulk', 'order')),
    ADD COLUMN delivery_status    text        NOT NULL DEFAULT 'response'
        CHECK (delivery_status IN ('response', 'pending', 'emailed', 'failed')),
    ADD COLUMN delivery_attempts  integer     NOT NULL DEFAULT 0,
    ADD COLUMN delivery_error     text,
    ADD COLUMN emailed_at         timestamptz,
    ADD COLUMN delivery_failed_at timestamptz,
    -- A re-sent link replaces its predecessor (which is revoked): the chain, both ways.
    ADD COLUMN replaces           uuid        REFERENCES token (id),
    ADD COLUMN replaced_by        uuid;

-- One live link per order line: a link of an order line is only ever replaced (resend), never doubled.
CREATE UNIQUE INDEX token_order_line_once ON token (order_id, order_line_id)
    WHERE source = 'order' AND replaced_by IS NULL;
CREATE INDEX token_delivery_idx ON token (delivery_status, issued_at) WHERE delivery_status IN ('pending', 'failed');

-- The orders token-service has heard of, as their OrderStatusChanged events told it. status only moves up the
-- ranks (pending < paid < fulfilled < disputed < dispute_won < refunded = dispute_lost = canceled), so a late or
-- repeated event never undoes a later one. revoked_at is set by refunded/disputed/canceled/dispute_lost, also when
-- that is the first event of the order (a paid that comes later issues nothing); only an admin's reissue after a
-- won dispute clears it.
CREATE TABLE customer_order (
    order_id       text        PRIMARY KEY,
    provider       text        NOT NULL,
    external_id    text        NOT NULL,
    customer_email text,
    status         text        NOT NULL,
    status_at      timestamptz NOT NULL,
    paid_at        timestamptz,
    revoked_at     timestamptz,
    revoke_reason  text,
    dispute_won_at timestamptz,
    reinstated_at  timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT customer_order_external_key UNIQUE (provider, external_id)
);
CREATE INDEX customer_order_email_idx ON customer_order (lower(customer_email));

-- One row per order line, the unit a link is issued for (exactly once: state moves waiting -> pending -> issued
-- under the order's row lock, and token_order_line_once backs it up).
-- waiting = the order is not paid (yet); pending = to be issued at issue_after (a storefront's claim window, or
-- the retry of a line that failed, e.g. a sku the catalog does not know yet: last_error says why); issued =
-- token_id is the line's current link; canceled = the order was revoked before the line was issued.
CREATE TABLE order_line (
    order_id          text        NOT NULL REFERENCES customer_order (order_id),
    line_id           text        NOT NULL,
    sku               text        NOT NULL,
    quantity          integer     NOT NULL,
    state             text        NOT NULL CHECK (state IN ('waiting', 'pending', 'issued', 'canceled')),
    token_id          uuid        REFERENCES token (id),
    issue_after       timestamptz,
    attempts          integer     NOT NULL DEFAULT 0,
    last_error        text,
    last_error_detail text,
    last_attempt_at   timestamptz,
    issued_at         timestamptz,
    PRIMARY KEY (order_id, line_id)
);
CREATE INDEX order_line_due_idx ON order_line (issue_after) WHERE state = 'pending';
CREATE INDEX order_line_sku_idx ON order_line (sku) WHERE state = 'pending';
