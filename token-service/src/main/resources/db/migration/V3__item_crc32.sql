-- The CRC-32 of each file (lowercase hex, 8 digits, from FileStored.crc32), kept in the catalog and copied into
-- each grant's items: with it the gateway can lay a ZIP of several items out before reading them, and so serve it
-- with a length and byte ranges (resumable). Rows from before have none: their ZIPs stream as before.
ALTER TABLE catalog_file ADD COLUMN crc32 text;
ALTER TABLE grant_item ADD COLUMN crc32 text;
