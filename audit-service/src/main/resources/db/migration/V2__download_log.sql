-- The facts the download log is built from. Events of one download come on three topics (requests, replies,
-- downloads) plus tokens.v1, in any order; each fact lands in its own table and the download_log row is then
-- rebuilt from all facts known so far, so the result never depends on the arrival order.

-- What audit-service knows about a token (TokenIssued, TokenRevoked, TokenExhausted).
create table token_ref (
    token_id       uuid         primary key,
    token_hash     text,
    order_id       text,
    customer_email text,
    product_sku    text,
    platform       text,
    issued_at      timestamptz,
    revoked_at     timestamptz,
    last_event_at  timestamptz  not null
);

create index token_ref_order_idx on token_ref (order_id) where order_id is not null;
create index token_ref_hash_idx on token_ref (token_hash) where token_hash is not null;
create index token_ref_email_idx on token_ref (customer_email) where customer_email is not null;

-- One redemption request: DownloadRequested and its reply (DownloadGranted or DownloadDenied).
create table download_request (
    request_id         uuid          primary key,
    token_hash         text,
    requested_platform text,
    typed_email        text,
    client_ip          text,
    user_agent         text,
    requested_at       timestamptz,
    reply              varchar(10),
    token_id           uuid,
    grant_id           uuid,
    reused             boolean,
    deny_reason        text,
    deny_detail        text,
    file_name          text,
    file_size          bigint,
    granted_platform   text,
    replied_at         timestamptz,
    last_event_at      timestamptz   not null,
    constraint download_request_reply_chk check (reply in ('granted', 'denied'))
);

create index download_request_grant_idx on download_request (grant_id) where grant_id is not null;
create index download_request_token_idx on download_request (token_id) where token_id is not null;

-- One gateway response (DownloadCompleted or DownloadFailed), keyed by its event id.
create table download_delivery (
    event_id     uuid          primary key,
    grant_id     uuid          not null,
    token_id     uuid          not null,
    file_id      uuid,
    completed    boolean       not null,
    range_start  bigint        not null,
    bytes_sent   bigint        not null,
    total_size   bigint        not null,
    platform     text,
    client_ip    text,
    user_agent   text,
    started_at   timestamptz,
    completed_at timestamptz,
    reason       text
);

create index download_delivery_grant_idx on download_delivery (grant_id);

-- The download log the seller reads: one row per reserved use (id = grant id, whatever number of requests
-- reused it and responses served it) and one per request that has no grant (id = request id: pending or
-- denied). outcome: pending | completed | failed | denied.
create table download_log (
    id              uuid          primary key,
    request_id      uuid,
    grant_id        uuid,
    token_id        uuid,
    order_id        text,
    customer_email  text,
    platform        text,
    file_name       text,
    file_size       bigint,
    client_ip       text,
    user_agent      text,
    started_at      timestamptz   not null,
    completed_at    timestamptz,
    bytes_delivered bigint        not null default 0,
    outcome         varchar(20)   not null,
    reason          text,
    duration_ms     bigint,
    responses       integer       not null default 0,
    updated_at      timestamptz   not null default now(),
    constraint download_log_outcome_chk check (outcome in ('pending', 'completed', 'failed', 'denied'))
);

create index download_log_started_idx on download_log (started_at);
create index download_log_email_idx on download_log (customer_email, started_at);
create index download_log_order_idx on download_log (order_id) where order_id is not null;
create index download_log_token_idx on download_log (token_id) where token_id is not null;
create index download_log_outcome_idx on download_log (outcome, started_at);
