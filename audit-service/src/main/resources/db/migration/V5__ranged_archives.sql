-- A grant of several files whose CRC-32s are all known is served as a laid-out ZIP that can be fetched in ranges:
-- it is complete once its archive ranges cover the whole archive, like a file. Other multi-file grants are streamed
-- ZIPs (no length, no ranges), complete with any response that finished.
alter table download_request add column archive_ranged boolean;
