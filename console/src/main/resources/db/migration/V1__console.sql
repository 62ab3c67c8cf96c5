-- API keys: only the SHA-256 of a key is stored; the key itself is shown once, in the answer that created it.
create table api_key (
    id           uuid primary key,
    name         text        not null,
    key_hash     text        not null unique,
    key_hint     text        not null,              -- "dbk_abcd…": enough to recognise a key in a list, not to use it
    scopes       text[]      not null,
    created_at   timestamptz not null,
    created_by   text        not null,
    revoked_at   timestamptz,
    revoked_by   text,
    last_used_at timestamptz
);

-- What people did in the console (and with the admin API of this service): who, what, on what, when.
create table console_action (
    id          bigserial primary key,
    occurred_at timestamptz not null,
    actor       text        not null,
    action      text        not null,
    target      text,
    detail      text
);
create index console_action_occurred_idx on console_action (occurred_at desc);
create index console_action_actor_idx on console_action (actor, occurred_at desc);
