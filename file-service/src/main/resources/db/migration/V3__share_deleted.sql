-- An admin may delete a share before it is read out or expires (admin API, the console's Shares page).
alter table share drop constraint share_status_check;
alter table share add constraint share_status_check check (status in ('active', 'burnt', 'expired', 'deleted'));
create index share_by_created on share (created_at desc);
