-- Saving or deleting a proxy touches two stores, this database and the OS keyring, which
-- share no transaction. hearth-diagnose's `proxies_db` orders the writes so that a crash in
-- between leaves nothing, or a row the proxy list reports as damaged, and never a keyring
-- entry nothing points at:
--
-- * saving inserts the row with `saving = 1`, writes the secret under the row's id (ids are
--   never reused: AUTOINCREMENT), then clears `saving`. A row still saving after a crash is
--   listed as damaged ("add it again to repair it, or delete it").
-- * deleting removes the row and records its id in `proxy_secrets_to_delete` in one
--   transaction, then deletes the keyring entry and the record. Records left by a crash or a
--   locked keyring are swept again later.
ALTER TABLE proxies ADD COLUMN saving INTEGER NOT NULL DEFAULT 0 CHECK (saving IN (0, 1));

CREATE TABLE proxy_secrets_to_delete (
    proxy_id INTEGER PRIMARY KEY
);
