//! Rows of the session tables (migration 4) to and from `hearth-session` values. A row that
//! cannot be understood (an address that does not parse, an unknown kind) is skipped with a
//! log line rather than failing the whole load: the session then relearns it from the server.

use hearth_session::{DcOption, PeerId, PeerInfo, PeerKind};
use rusqlite::Row;

/// `peer_type` and `peer_id` of a peer.
pub(super) fn peer_key(id: PeerId) -> (&'static str, i64) {
    match id {
        PeerId::User(id) => ("user", id),
        PeerId::Chat(id) => ("chat", id),
        PeerId::Channel(id) => ("channel", id),
    }
}

/// Columns: dc_id, ip, port, media_only, cdn, tcpo_only, is_static, secret.
pub(super) const DC_COLUMNS: &str =
    "dc_id, ip, port, media_only, cdn, tcpo_only, is_static, secret";

pub(super) fn dc_option(row: &Row<'_>) -> rusqlite::Result<Option<DcOption>> {
    let id: i32 = row.get(0)?;
    let ip: String = row.get(1)?;
    let Ok(ip) = ip.parse() else {
        tracing::warn!(dc = id, address = %ip, "stored DC address does not parse; skipped");
        return Ok(None);
    };
    let port: u16 = row.get(2)?;
    Ok(Some(DcOption {
        media_only: row.get(3)?,
        cdn: row.get(4)?,
        tcpo_only: row.get(5)?,
        is_static: row.get(6)?,
        secret: row.get(7)?,
        ..DcOption::new(id, ip, port)
    }))
}

/// Columns: peer_type, peer_id, kind, access_hash, min, username, usernames, phone, title,
/// deleted.
pub(super) const PEER_COLUMNS: &str =
    "peer_type, peer_id, kind, access_hash, min, username, usernames, phone, title, deleted";

pub(super) fn peer(row: &Row<'_>) -> rusqlite::Result<Option<PeerInfo>> {
    let peer_type: String = row.get(0)?;
    let bare: i64 = row.get(1)?;
    let id = match peer_type.as_str() {
        "user" => PeerId::User(bare),
        "chat" => PeerId::Chat(bare),
        "channel" => PeerId::Channel(bare),
        other => {
            tracing::warn!(
                peer_type = other,
                id = bare,
                "stored peer of unknown type; skipped"
            );
            return Ok(None);
        }
    };
    let kind: String = row.get(2)?;
    let Some(kind) = PeerKind::parse(&kind) else {
        tracing::warn!(%id, kind, "stored peer of unknown kind; skipped");
        return Ok(None);
    };
    let usernames: String = row.get(6)?;
    Ok(Some(PeerInfo {
        id,
        kind,
        access_hash: row.get(3)?,
        min: row.get(4)?,
        username: row.get(5)?,
        usernames: usernames.split_whitespace().map(str::to_owned).collect(),
        phone: row.get(7)?,
        title: row.get(8)?,
        deleted: row.get(9)?,
    }))
}
