-- Events a consumer has already applied. The row is inserted in the same transaction as the event's effect, so
-- a redelivered event (delivery is at least once) finds its row and is skipped.
create table processed_event (
    consumer     varchar(200) not null,
    event_id     uuid         not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);

create index processed_event_processed_at_idx on processed_event (processed_at);
