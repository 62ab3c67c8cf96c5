-- Events waiting to be published, inserted in the same transaction as the change they describe, so that a
-- commit and its events cannot part ways. The relay sends unsent rows in id order and then sets sent_at.
-- Unqualified: each service migrates it into its own schema.
create table outbox (
    id            bigserial     primary key,
    event_id      uuid          not null unique,
    event_type    varchar(100)  not null,
    event_version integer       not null,
    topic         varchar(249)  not null,
    message_key   varchar(1000) not null,
    payload       json          not null,
    traceparent   varchar(55),
    occurred_at   timestamptz   not null,
    created_at    timestamptz   not null default now(),
    sent_at       timestamptz
);

-- The relay's work queue: only unsent rows, in id order.
create index outbox_unsent_idx on outbox (id) where sent_at is null;

-- Retention: sent rows are deleted after a while.
create index outbox_sent_at_idx on outbox (sent_at) where sent_at is not null;
