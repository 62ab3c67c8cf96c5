-- Every event of every topic, once (event_id is the primary key; the platform's processed_event table
-- makes a redelivery a no-op before it gets here). The columns beside the payload are the ids an admin
-- searches by, extracted from the payload where present; emails are stored lowercased.
create table audit_event (
    event_id      uuid          primary key,
    event_type    text          not null,
    event_version integer       not null,
    topic         varchar(249)  not null,
    partition_no  integer       not null,
    offset_no     bigint        not null,
    event_key     text,
    occurred_at   timestamptz   not null,
    recorded_at   timestamptz   not null default now(),
    order_id      text,
    token_id      uuid,
    request_id    uuid,
    grant_id      uuid,
    token_hash    text,
    email         text,
    traceparent   text,
    payload       jsonb         not null
);

create index audit_event_order_idx on audit_event (order_id, occurred_at) where order_id is not null;
create index audit_event_token_idx on audit_event (token_id, occurred_at) where token_id is not null;
create index audit_event_request_idx on audit_event (request_id) where request_id is not null;
create index audit_event_token_hash_idx on audit_event (token_hash) where token_hash is not null;
create index audit_event_email_idx on audit_event (email) where email is not null;
create index audit_event_occurred_idx on audit_event (occurred_at);

-- Customers whose email was erased: the keyed hash of the address (never the address) and its label, so that
-- an event about them that arrives late is pseudonymised on arrival too.
create table erased_customer (
    email_hash varchar(64)  primary key,
    label      varchar(100) not null,
    erased_at  timestamptz  not null default now()
);
