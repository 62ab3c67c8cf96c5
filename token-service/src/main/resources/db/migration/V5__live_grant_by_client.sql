-- A redemption looks up the live grant of its client (token, address, user agent) to hand it out again. The token's
-- index alone makes that scan every grant the token ever had (thousands for a popular link); this one finds the
-- client's live grants directly and stays small (grants leave it when they settle).
CREATE INDEX download_grant_live_client_idx ON download_grant (token_id, client_ip, user_agent) WHERE status = 'active';
