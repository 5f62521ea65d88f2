-- Schema version 4: each account's session state (hearth-session's SessionStorage, written by
-- hearth_store::session). Auth keys are NEVER stored here: they live in the OS keyring
-- (secrets.rs, kind auth_key/dc<N>); session_auth_keys only records which DCs have one, so
-- signing out can delete them all. Every row belongs to an account and goes with it.

-- Home DC and who the account is.
CREATE TABLE session_info (
    account_id INTEGER PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    home_dc    INTEGER CHECK (home_dc > 0),
    self_user  INTEGER,
    is_bot     INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1))
);

-- The DCs whose auth key is in the keyring (the key itself is not here).
CREATE TABLE session_auth_keys (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    dc_id      INTEGER NOT NULL CHECK (dc_id > 0),
    PRIMARY KEY (account_id, dc_id)
) WITHOUT ROWID;

-- The DC address book from help.getConfig, in the order received. `secret` is the server's
-- published obfuscation secret of a tcpo_only address, not a user secret.
CREATE TABLE session_dc_options (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    dc_id      INTEGER NOT NULL,
    ip         TEXT    NOT NULL,
    port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    ipv6       INTEGER NOT NULL CHECK (ipv6 IN (0, 1)),
    media_only INTEGER NOT NULL CHECK (media_only IN (0, 1)),
    cdn        INTEGER NOT NULL CHECK (cdn IN (0, 1)),
    tcpo_only  INTEGER NOT NULL CHECK (tcpo_only IN (0, 1)),
    is_static  INTEGER NOT NULL CHECK (is_static IN (0, 1)),
    secret     BLOB,
    PRIMARY KEY (account_id, position)
) WITHOUT ROWID;

-- The peer cache: users, basic groups and channels met, with their access hashes.
-- `usernames` holds the further active usernames separated by spaces.
CREATE TABLE session_peers (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    peer_type   TEXT    NOT NULL CHECK (peer_type IN ('user', 'chat', 'channel')),
    peer_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('user', 'bot', 'self', 'chat', 'channel', 'megagroup', 'gigagroup')),
    access_hash INTEGER,
    min         INTEGER NOT NULL CHECK (min IN (0, 1)),
    username    TEXT,
    usernames   TEXT    NOT NULL DEFAULT '',
    phone       TEXT,
    title       TEXT    NOT NULL,
    deleted     INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    PRIMARY KEY (account_id, peer_type, peer_id)
) WITHOUT ROWID;

-- The update state (updates.getState and after): account pts, qts, date, seq.
CREATE TABLE session_update_state (
    account_id INTEGER PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    pts        INTEGER NOT NULL,
    qts        INTEGER NOT NULL,
    date       INTEGER NOT NULL,
    seq        INTEGER NOT NULL
);

-- The pts of every followed channel.
CREATE TABLE session_channel_pts (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    pts        INTEGER NOT NULL,
    PRIMARY KEY (account_id, channel_id)
) WITHOUT ROWID;
