//! The `dc_options` table: the DC address book per network, as last received in
//! `help.getConfig` (core.telegram.org/api/datacenter), so reconnects do not need the built-in
//! bootstrap addresses.

use std::net::IpAddr;

use rusqlite::{params, Row};

use crate::{unix_now, Database, Network, StoreError};

/// One address of a DC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DcOption {
    pub network: Network,
    pub dc_id: i32,
    pub ip: IpAddr,
    pub port: u16,
    /// Only for file downloads/uploads.
    pub media_only: bool,
    /// A CDN DC.
    pub cdn: bool,
    /// Seconds since the Unix epoch; set by [`Database::replace_dc_options`].
    pub updated_at: i64,
}

impl DcOption {
    /// Whether the address is IPv6 (stored as the `ipv6` column).
    pub fn ipv6(&self) -> bool {
        self.ip.is_ipv6()
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<DcOption> {
    let ip: String = row.get(2)?;
    let ip = ip.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(DcOption {
        network: row.get(0)?,
        dc_id: row.get(1)?,
        ip,
        port: row.get(3)?,
        media_only: row.get(4)?,
        cdn: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

impl Database {
    /// Replaces the whole address book of `network` with `options` in one transaction (their
    /// own `network` and `updated_at` fields are ignored). Duplicate addresses are stored once.
    pub fn replace_dc_options(
        &self,
        network: Network,
        options: &[DcOption],
    ) -> Result<(), StoreError> {
        let now = unix_now();
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM dc_options WHERE network = ?1", [network])?;
        {
            let mut insert = tx.prepare(
                "INSERT OR REPLACE INTO dc_options
                 (network, dc_id, ip, port, ipv6, media_only, cdn, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for o in options {
                insert.execute(params![
                    network,
                    o.dc_id,
                    o.ip.to_string(),
                    o.port,
                    o.ipv6(),
                    o.media_only,
                    o.cdn,
                    now
                ])?;
            }
        }
        tx.commit()?;
        tracing::debug!(%network, count = options.len(), "DC address book replaced");
        Ok(())
    }

    /// The stored addresses of `network`, ordered by DC id then address.
    pub fn dc_options(&self, network: Network) -> Result<Vec<DcOption>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT network, dc_id, ip, port, media_only, cdn, updated_at FROM dc_options
             WHERE network = ?1 ORDER BY dc_id, ipv6, media_only, cdn, ip, port",
        )?;
        let rows = stmt.query_map([network], from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
