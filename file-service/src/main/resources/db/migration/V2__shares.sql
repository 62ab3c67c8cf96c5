-- One-time shares (io.drawbridge.file.share). The secret parts (sealed name, wrapped data key, salts) are set to
-- null when a share ends (last read, expiry); the row stays, so that its link answers 410 instead of 401.
create table share (
    id                uuid primary key,
    token_hash        text        not null unique,            -- hex SHA-256 of the link's token; never the token
    kind              text        not null check (kind in ('text', 'file')),
    status            text        not null default 'active' check (status in ('active', 'burnt', 'expired')),
    size              bigint      not null,                   -- plaintext bytes
    object_key        text,                                   -- null once the object is deleted
    sealed_meta       bytea,                                  -- name, type, SHA-256, sealed with a key of the token
    wrapped_key       bytea,                                  -- data key wrapped with the link key
    key_salt          bytea,
    password_salt     bytea,                                  -- Argon2id salt; null without a password
    password_failures int         not null default 0,
    max_reads         int         not null check (max_reads between 1 and 100),
    reads_used        int         not null default 0,
    bytes_sent        bigint      not null default 0,         -- every byte handed out by file grants
    created_at        timestamptz not null,
    expires_at        timestamptz not null,
    ended_at          timestamptz
);

create index share_active_by_expiry on share (expires_at) where status = 'active';
create index share_object_left on share (ended_at) where status <> 'active' and object_key is not null;

-- A file read: the data key re-wrapped with a random key that only the grant's URL carries.
create table share_grant (
    id          uuid primary key,
    share_id    uuid           not null references share (id) on delete cascade,
    wrapped_key bytea          not null,
    sealed_meta bytea          not null,                      -- name, type, SHA-256 sealed with the grant key
    delivered   int8multirange not null default '{}',         -- byte ranges delivered to clients
    settled     boolean        not null default false,        -- delivered in full: its read was counted
    expires_at  timestamptz    not null
);

create index share_grant_by_share on share_grant (share_id);
