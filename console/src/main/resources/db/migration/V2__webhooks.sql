-- Sellers' webhook endpoints. The signing secret must be readable again to compute each message's HMAC (a hash of it
-- would not do, unlike an API key), so it is stored sealed: AES-256-GCM under drawbridge.console.webhooks.secret-key
-- (from the environment, never in the database), bound to the endpoint's id. The secret itself is shown once.
create table webhook_endpoint (
    id              uuid        primary key,
    url             text        not null,
    description     text        not null default '',
    events          text[]      not null,
    secret_sealed   bytea       not null,
    secret_hint     text        not null,              -- "whsec_ab…": recognisable, not usable
    created_at      timestamptz not null,
    created_by      text        not null,
    deleted_at      timestamptz,
    disabled_at     timestamptz,                       -- set after persistent failure; enabled again by hand
    disabled_reason text,
    failing_since   timestamptz                        -- first failed attempt since the last success
);

-- One message to one endpoint, the outbox of the sender: its id is the webhook-id the receiver sees (the same on
-- every retry and redelivery, so receivers can dedupe), its payload the exact body that is signed.
create table webhook_delivery (
    id              uuid        primary key,
    endpoint_id     uuid        not null references webhook_endpoint (id),
    event_type      text        not null,
    source_event_id uuid        not null,              -- the Kafka event it tells of
    payload         text        not null,
    created_at      timestamptz not null,
    status          text        not null,              -- pending, delivered, failed
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    unique (endpoint_id, source_event_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_created_idx on webhook_delivery (created_at desc);

-- Every attempt, for the delivery log: when, the HTTP status (null when none came back), or what went wrong.
create table webhook_attempt (
    delivery_id  uuid        not null references webhook_delivery (id),
    attempt      integer     not null,
    attempted_at timestamptz not null,
    status_code  integer,
    error        text,
    duration_ms  bigint      not null,
    primary key (delivery_id, attempt)
);
