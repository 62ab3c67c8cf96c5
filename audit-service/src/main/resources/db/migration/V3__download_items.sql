-- How many files a grant covers: a grant of several files downloaded one by one (not as a ZIP) is complete only
-- when every one of them was delivered in full.
alter table download_request add column item_count integer;
