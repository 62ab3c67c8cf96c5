-- Byte leases: before the gateway sends a window of a grant's bytes it leases that window here, and when the response
-- ends it says how much of the lease it sent. The leases are the one record of what a grant put on the wire, and what
-- settles it (delivered_range, built from the gateway's Kafka reports, is gone).
--
-- target: the file's id, or NULL for the ZIP of all the grant's items. [range_start, leased_end) is what the response
-- may send; sent_end (NULL while the response runs) what it did send. A lease whose gateway vanished is taken as sent
-- in full once it expires.
CREATE TABLE byte_lease (
    id          uuid        PRIMARY KEY,
    grant_id    uuid        NOT NULL REFERENCES download_grant (id),
    target      uuid,
    archive     text        CHECK (archive IN ('laid_out', 'streamed')),
    target_size bigint      NOT NULL CHECK (target_size >= 0),
    range_start bigint      NOT NULL CHECK (range_start >= 0),
    leased_end  bigint      NOT NULL CHECK (leased_end > range_start),
    sent_end    bigint      CHECK (sent_end >= range_start AND sent_end <= leased_end),
    leased_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz
);
CREATE INDEX byte_lease_grant_idx ON byte_lease (grant_id);

-- bytes_leased: bytes the token's grants have leased and not given back (sent, or on their way): what the token's byte
-- budget is checked against, atomically.
ALTER TABLE token ADD COLUMN bytes_leased bigint NOT NULL DEFAULT 0 CHECK (bytes_leased >= 0);

DROP TABLE delivered_range;
