-- Saved proxies (SOCKS5, HTTP CONNECT, MTProxy). Passwords and MTProxy secrets never live
-- here: `has_secret` says the OS keyring holds one (hearth-diagnose's `proxies_db` reads and
-- writes these rows and the keyring entries together).
CREATE TABLE proxies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL CHECK (kind IN ('socks5', 'http', 'mtproxy')),
    host       TEXT    NOT NULL,
    port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    username   TEXT,
    has_secret INTEGER NOT NULL DEFAULT 0 CHECK (has_secret IN (0, 1)),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at INTEGER NOT NULL
);
