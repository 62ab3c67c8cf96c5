-- token-service is the one owner of how a grant ended: it publishes GrantSettled (completed, released, revoked) and
-- the download log shows that instead of working it out from the gateway's responses. The rule audit-service used to
-- apply (byte ranges covering the file or the archive; a laid-out ZIP guessed from the items' CRC-32s) is gone, with
-- the columns that fed it.
create table grant_settlement (
    grant_id      uuid         primary key,
    token_id      uuid         not null,
    outcome       varchar(20)  not null,
    bytes_sent    bigint       not null,
    download_size bigint       not null,
    archive       varchar(20),
    settled_at    timestamptz  not null,
    event_id      uuid         not null
);

create index grant_settlement_token_idx on grant_settlement (token_id);
create index grant_settlement_settled_idx on grant_settlement (settled_at);

alter table download_request drop column archive_ranged;
alter table download_request drop column item_count;

-- A grant token-service has not settled yet is in_progress (pending is left to requests without a reply); a grant
-- whose link was revoked while it was live is revoked.
alter table download_log drop constraint download_log_outcome_chk;
update download_log set outcome = 'in_progress' where outcome = 'pending' and grant_id is not null;
alter table download_log add constraint download_log_outcome_chk
    check (outcome in ('pending', 'in_progress', 'completed', 'failed', 'revoked', 'denied'));
