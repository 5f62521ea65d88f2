-- Schema version 5: what the account service (hearth-accounts) keeps per account.

-- Place in the sidebar, from 0; the service keeps the positions of listed accounts dense.
ALTER TABLE accounts ADD COLUMN position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0);

-- Where a `local` account's network is described: the path of the localdc announcement file
-- it was created with (re-read at every start, so a localdc restarted on new ports with the
-- same state directory keeps serving it), or 'builtin' for the app's own Local test network.
-- NULL for production and test: their DC tables are built in and api_id/api_hash are per
-- network, kept once in `settings`.
ALTER TABLE accounts ADD COLUMN local_source TEXT CHECK (local_source IS NULL OR local_source <> '');

-- Who the account is on Telegram, as last seen (first and last name; main @username).
ALTER TABLE accounts ADD COLUMN display_name TEXT;
ALTER TABLE accounts ADD COLUMN username TEXT;

-- 1 while a login flow signs in under this id: not an account yet, never listed; completed
-- (set to 0) when sign-in succeeds, deleted with its session when the flow is cancelled or
-- the app finds it left over at start.
ALTER TABLE accounts ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1));

-- Existing accounts keep their creation order.
UPDATE accounts
   SET position = (SELECT count(*) FROM accounts AS earlier WHERE earlier.id < accounts.id);
