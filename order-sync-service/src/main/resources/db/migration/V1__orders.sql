-- order-sync-service: orders, customers and the Stripe webhook receipts (schema "orders").

CREATE TABLE customers (
    id          uuid        PRIMARY KEY,
    provider    text        NOT NULL,
    -- The provider's customer id; for Stripe payments without a Customer object, "email:" + the lowercased email.
    external_id text        NOT NULL,
    email       text,
    name        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_provider_external_id_key UNIQUE (provider, external_id)
);

CREATE INDEX customers_email_idx ON customers (lower(email));

CREATE TABLE orders (
    id                  uuid        PRIMARY KEY,
    provider            text        NOT NULL,
    -- Stripe: the PaymentIntent id (a legacy charge: the charge id). Antistock: the order id.
    external_id         text        NOT NULL,
    customer_id         uuid        REFERENCES customers (id),
    customer_email      text,
    status              text        NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'disputed',
                                        'dispute_won', 'refunded', 'dispute_lost', 'canceled')),
    -- [{line_id, sku (null = unmapped), quantity, price_id, description}]
    lines               jsonb       NOT NULL DEFAULT '[]'::jsonb,
    amount_total        bigint,
    amount_refunded     bigint,
    currency            text,
    charge_id           text,
    checkout_session_id text,
    -- Why a human should look at it: 'unmapped_lines', 'missing_lines'; null when nothing.
    attention           text,
    status_changed_at   timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_provider_external_id_key UNIQUE (provider, external_id)
);

CREATE INDEX orders_email_idx ON orders (lower(customer_email), created_at DESC);
CREATE INDEX orders_status_idx ON orders (status, created_at DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC);

-- Every status an order took, and what said so.
CREATE TABLE order_status_changes (
    id              bigserial   PRIMARY KEY,
    order_id        uuid        NOT NULL REFERENCES orders (id),
    status          text        NOT NULL,
    previous_status text,
    source          text        NOT NULL,
    source_ref      text,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX order_status_changes_order_idx ON order_status_changes (order_id, id);

-- One row per Stripe event id, inserted once (webhook or reconciliation), processed from the stored payload.
CREATE TABLE webhook_receipts (
    event_id         text        PRIMARY KEY,
    provider         text        NOT NULL,
    event_type       text        NOT NULL,
    source           text        NOT NULL,
    livemode         boolean     NOT NULL,
    event_created_at timestamptz NOT NULL,
    payload          jsonb       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz,
    -- 'applied', 'ignored:<reason>', 'failed' (gave up after the maximum attempts)
    outcome          text,
    last_error       text
);

CREATE INDEX webhook_receipts_pending_idx ON webhook_receipts (next_attempt_at) WHERE processed_at IS NULL;

-- Where each scheduled pull (Stripe reconciliation, Antistock sync) got to.
CREATE TABLE sync_cursors (
    name       text        PRIMARY KEY,
    position   text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
