-- Files whose bytes are complete in the bucket. A row exists only for complete objects.
create table stored_file (
    id             uuid primary key,
    object_key     text        not null unique,
    name           text        not null,
    size           bigint      not null check (size > 0),
    sha256         char(64)    not null,
    crc32          char(8)     not null,
    content_type   text        not null,
    scan_status    text        not null check (scan_status in ('not_scanned', 'clean', 'infected')),
    scan_signature text,
    created_at     timestamptz not null
);
create index stored_file_created_at on stored_file (created_at desc, id);
create index stored_file_name_lower on stored_file (lower(name));

-- Direct uploads between their start (presigned URLs handed out) and completion or expiry.
create table direct_upload (
    id                  uuid primary key,
    object_key          text        not null unique,
    name                text        not null,
    size                bigint      not null check (size > 0),
    content_type        text        not null,
    multipart_upload_id text,
    part_size           bigint      not null default 0,
    status              text        not null check (status in ('pending', 'completing', 'completed')),
    created_at          timestamptz not null,
    expires_at          timestamptz not null
);
create index direct_upload_unfinished on direct_upload (expires_at) where status <> 'completed';

create table product (
    sku                text primary key,
    name               text        not null,
    current_release_id uuid,
    created_at         timestamptz not null
);

create table release (
    id           uuid primary key,
    sku          text        not null references product (sku),
    version      text        not null,
    notes        text,
    published_at timestamptz not null,
    unique (sku, version)
);

alter table product
    add constraint product_current_release_fk foreign key (current_release_id) references release (id);

-- A release's files per platform; position orders several files delivered together.
create table release_file (
    release_id uuid    not null references release (id),
    platform   text    not null check (platform in ('windows', 'macos', 'linux', 'any')),
    position   int     not null,
    file_id    uuid    not null references stored_file (id) on delete restrict,
    primary key (release_id, platform, position)
);
create index release_file_file on release_file (file_id);
