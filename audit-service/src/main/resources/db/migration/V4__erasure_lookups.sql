-- An erasure removes the customer's client IPs and user agents from the facts of their downloads, found by the
-- customer's tokens, the token hashes their requests carried and the email they typed; every event that arrives
-- after an erasure looks its customer up the same way. These lookups must not scan the tables.
create index download_request_token_hash_idx on download_request (token_hash) where token_hash is not null;
create index download_request_typed_email_idx on download_request (typed_email) where typed_email is not null;
create index download_delivery_token_idx on download_delivery (token_id);
