-- Schema version 1: accounts, settings and the DC address book.
-- Timestamps are seconds since the Unix epoch.

-- Marks the file as Hearth's ("HRTH"); see db.rs.
PRAGMA application_id = 1213355080;

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    label        TEXT    NOT NULL,
    user_id      INTEGER,
    phone        TEXT,
    is_bot       INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1)),
    dc_id        INTEGER NOT NULL CHECK (dc_id > 0),
    network      TEXT    NOT NULL CHECK (network IN ('production', 'test', 'local')),
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);

-- One Hearth account per Telegram user and network.
CREATE UNIQUE INDEX accounts_user ON accounts (network, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE dc_options (
    network    TEXT    NOT NULL CHECK (network IN ('production', 'test', 'local')),
    dc_id      INTEGER NOT NULL CHECK (dc_id > 0),
    ip         TEXT    NOT NULL,
    port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    ipv6       INTEGER NOT NULL DEFAULT 0 CHECK (ipv6 IN (0, 1)),
    media_only INTEGER NOT NULL DEFAULT 0 CHECK (media_only IN (0, 1)),
    cdn        INTEGER NOT NULL DEFAULT 0 CHECK (cdn IN (0, 1)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (network, dc_id, ip, port, media_only, cdn)
);
