-- The proxy an account's connections go through (NULL: direct). Removing the proxy
-- sends the account back to direct connections rather than failing.
ALTER TABLE accounts ADD COLUMN proxy_id INTEGER REFERENCES proxies(id) ON DELETE SET NULL;
