-- The hash was char(64): every look-up binds text, and PostgreSQL compared (token_hash)::text with it, which its
-- unique index cannot serve. Each redemption poll and landing page read the whole table (a sequential scan; 11 M
-- rows read in a few benchmark runs over 3,400 tokens). As text the index serves them.
ALTER TABLE token ALTER COLUMN token_hash TYPE text;
