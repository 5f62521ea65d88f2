//! The DC address book (core.telegram.org/api/datacenter).
//!
//! `help.getConfig` answers with `config.dc_options`: several addresses per DC, IPv4 and IPv6,
//! some only for media (file downloads and uploads), some for CDN DCs that do not speak the API,
//! some that accept only the obfuscated transport (`tcpo_only`). [`DcOptions`] keeps them and
//! picks an address for a connection.
//!
//! Invariants:
//! * every option has a parsed IP address and a port in `1..=65535`; `ipv6` always agrees with
//!   the address family (a config entry whose address does not parse is skipped with a log line);
//! * [`DcOptions::address`] never returns a CDN option, never a media-only option unless media
//!   was asked for, and prefers, in this order: the media kind asked for, the address family
//!   asked for, options that accept every transport (not `tcpo_only`), then list order.

use std::net::IpAddr;

/// One address of a DC, as in `dcOption`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DcOption {
    /// DC number (1..=5 on Telegram's networks; CDN DCs have their own numbers).
    pub id: i32,
    pub ip: IpAddr,
    pub port: u16,
    /// The address is IPv6 (always `ip.is_ipv6()`).
    pub ipv6: bool,
    /// Only for file downloads and uploads.
    pub media_only: bool,
    /// A CDN DC (core.telegram.org/cdn): serves encrypted file parts only, no API calls.
    pub cdn: bool,
    /// Accepts only the obfuscated TCP transport.
    pub tcpo_only: bool,
    /// May be kept and used when `help.getConfig` cannot be reached.
    pub is_static: bool,
    /// Secret for the obfuscated transport to this address, when the server sets one.
    pub secret: Option<Vec<u8>>,
}

impl DcOption {
    /// A plain API address of DC `id` (no media, CDN or transport restrictions).
    pub fn new(id: i32, ip: IpAddr, port: u16) -> Self {
        DcOption {
            id,
            ip,
            port,
            ipv6: ip.is_ipv6(),
            media_only: false,
            cdn: false,
            tcpo_only: false,
            is_static: false,
            secret: None,
        }
    }

    /// Converts a TL `dcOption`; `None` (logged) if its address or port is invalid.
    pub fn from_tl(option: &hearth_tl::enums::DcOption) -> Option<Self> {
        let hearth_tl::enums::DcOption::DcOption(o) = option;
        let ip = match o.ip_address.trim().parse::<IpAddr>() {
            Ok(ip) => ip,
            Err(_) => {
                tracing::warn!(dc = o.id, address = %o.ip_address, "dcOption with an unparsable address skipped");
                return None;
            }
        };
        let port = match u16::try_from(o.port) {
            Ok(port) if port != 0 => port,
            _ => {
                tracing::warn!(
                    dc = o.id,
                    port = o.port,
                    "dcOption with an invalid port skipped"
                );
                return None;
            }
        };
        if o.ipv6 != ip.is_ipv6() {
            tracing::debug!(dc = o.id, %ip, flag = o.ipv6, "dcOption ipv6 flag disagrees with its address; the address wins");
        }
        Some(DcOption {
            id: o.id,
            ip,
            port,
            ipv6: ip.is_ipv6(),
            media_only: o.media_only,
            cdn: o.cdn,
            tcpo_only: o.tcpo_only,
            is_static: o.static_,
            secret: o.secret.clone(),
        })
    }

    /// The merge key: options with the same key replace each other in [`DcOptions::merge`].
    fn key(&self) -> (i32, bool, bool, bool) {
        (self.id, self.ip.is_ipv6(), self.media_only, self.cdn)
    }
}

/// Every known address of every DC of one network.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DcOptions {
    options: Vec<DcOption>,
}

impl DcOptions {
    /// The address book holding `options` (exact duplicates are kept once; `ipv6` is corrected
    /// to match each address).
    pub fn new(options: Vec<DcOption>) -> Self {
        let mut out: Vec<DcOption> = Vec::with_capacity(options.len());
        for mut o in options {
            o.ipv6 = o.ip.is_ipv6();
            if !out.contains(&o) {
                out.push(o);
            }
        }
        DcOptions { options: out }
    }

    /// The address book of a `help.getConfig` answer (`config.dc_options`).
    pub fn from_config(config: &hearth_tl::types::Config) -> Self {
        Self::new(
            config
                .dc_options
                .iter()
                .filter_map(DcOption::from_tl)
                .collect(),
        )
    }

    /// Takes in a newer address book: for every (DC, address family, media-only, CDN) that
    /// `other` has addresses for, those replace the ones known so far; the rest is kept.
    pub fn merge(&mut self, other: DcOptions) {
        let replaced: Vec<_> = other.options.iter().map(DcOption::key).collect();
        self.options.retain(|o| !replaced.contains(&o.key()));
        for o in other.options {
            if !self.options.contains(&o) {
                self.options.push(o);
            }
        }
    }

    /// The best address for DC `dc`: a non-media one unless `media`, and with `media` a media
    /// one when the DC has any, else a regular one. `prefer_ipv6` picks the family tried first;
    /// the other family is the fallback. CDN options are never returned.
    pub fn address(&self, dc: i32, media: bool, prefer_ipv6: bool) -> Option<&DcOption> {
        self.options
            .iter()
            .filter(|o| o.id == dc && !o.cdn && (media || !o.media_only))
            .min_by_key(|o| {
                (
                    o.media_only != media,
                    o.ip.is_ipv6() != prefer_ipv6,
                    o.tcpo_only,
                )
            })
    }

    /// Every address, in the order received.
    pub fn all(&self) -> &[DcOption] {
        &self.options
    }

    /// The DC numbers that have at least one API (non-CDN) address, ascending.
    pub fn dc_ids(&self) -> Vec<i32> {
        let mut ids: Vec<i32> = self
            .options
            .iter()
            .filter(|o| !o.cdn)
            .map(|o| o.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// No address at all.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_tl::{enums, types};

    fn tl(id: i32, ip: &str, port: i32, ipv6: bool, media: bool) -> enums::DcOption {
        enums::DcOption::DcOption(types::DcOption {
            ipv6,
            media_only: media,
            tcpo_only: false,
            cdn: false,
            static_: false,
            this_port_only: false,
            id,
            ip_address: ip.into(),
            port,
            secret: None,
        })
    }

    fn config(dc_options: Vec<enums::DcOption>) -> types::Config {
        types::Config {
            default_p2p_contacts: false,
            preload_featured_stickers: false,
            revoke_pm_inbox: false,
            blocked_mode: false,
            force_try_ipv6: false,
            date: 0,
            expires: 0,
            test_mode: false,
            this_dc: 2,
            dc_options,
            dc_txt_domain_name: String::new(),
            chat_size_max: 0,
            megagroup_size_max: 0,
            forwarded_count_max: 0,
            online_update_period_ms: 0,
            offline_blur_timeout_ms: 0,
            offline_idle_timeout_ms: 0,
            online_cloud_timeout_ms: 0,
            notify_cloud_delay_ms: 0,
            notify_default_delay_ms: 0,
            push_chat_period_ms: 0,
            push_chat_limit: 0,
            edit_time_limit: 0,
            revoke_time_limit: 0,
            revoke_pm_time_limit: 0,
            rating_e_decay: 0,
            stickers_recent_limit: 0,
            channels_read_media_period: 0,
            tmp_sessions: None,
            call_receive_timeout_ms: 0,
            call_ring_timeout_ms: 0,
            call_connect_timeout_ms: 0,
            call_packet_timeout_ms: 0,
            me_url_prefix: String::new(),
            autoupdate_url_prefix: None,
            gif_search_username: None,
            venue_search_username: None,
            img_search_username: None,
            static_maps_provider: None,
            caption_length_max: 0,
            message_length_max: 0,
            webfile_dc_id: 4,
            suggested_lang_code: None,
            lang_pack_version: None,
            base_lang_pack_version: None,
            reactions_default: None,
            autologin_token: None,
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn from_config_parses_and_skips_bad_entries() {
        let mut cdn = tl(203, "10.0.0.9", 443, false, false);
        let enums::DcOption::DcOption(c) = &mut cdn;
        c.cdn = true;
        c.static_ = true;
        c.secret = Some(vec![1, 2, 3]);
        let opts = DcOptions::from_config(&config(vec![
            tl(2, "149.154.167.50", 443, false, false),
            tl(2, "2001:67c:4e8:f002::a", 443, true, false),
            tl(2, "not an address", 443, false, false),
            tl(2, "149.154.167.51", 0, false, false),
            tl(2, "149.154.167.52", 70000, false, false),
            // The flag says IPv6, the address is IPv4: the address wins.
            tl(4, "149.154.167.91", 443, true, false),
            cdn,
            tl(2, "149.154.167.50", 443, false, false), // duplicate
        ]));
        assert_eq!(opts.all().len(), 4);
        assert_eq!(opts.all()[0], DcOption::new(2, ip("149.154.167.50"), 443));
        assert!(opts.all()[1].ipv6);
        assert!(!opts.all()[2].ipv6, "ipv6 follows the address");
        let c = &opts.all()[3];
        assert!(c.cdn && c.is_static);
        assert_eq!(c.secret.as_deref(), Some(&[1u8, 2, 3][..]));
        assert_eq!(opts.dc_ids(), vec![2, 4]);
    }

    fn book() -> DcOptions {
        let media = |id, addr: &str| DcOption {
            media_only: true,
            ..DcOption::new(id, ip(addr), 443)
        };
        DcOptions::new(vec![
            DcOption::new(2, ip("10.0.0.2"), 443),
            DcOption::new(2, ip("fd00::2"), 443),
            media(2, "10.0.1.2"),
            media(2, "fd00::102"),
            DcOption::new(3, ip("10.0.0.3"), 443),
            media(5, "10.0.1.5"),
            DcOption {
                cdn: true,
                ..DcOption::new(7, ip("10.0.0.7"), 443)
            },
        ])
    }

    #[test]
    fn address_prefers_kind_then_family() {
        let b = book();
        let pick = |dc, media, v6| b.address(dc, media, v6).map(|o| o.ip.to_string());
        assert_eq!(pick(2, false, false).as_deref(), Some("10.0.0.2"));
        assert_eq!(pick(2, false, true).as_deref(), Some("fd00::2"));
        assert_eq!(pick(2, true, false).as_deref(), Some("10.0.1.2"));
        assert_eq!(pick(2, true, true).as_deref(), Some("fd00::102"));
        // No IPv6 address for DC 3: fall back to IPv4.
        assert_eq!(pick(3, false, true).as_deref(), Some("10.0.0.3"));
        // No media address for DC 3: fall back to the regular one.
        assert_eq!(pick(3, true, false).as_deref(), Some("10.0.0.3"));
        // DC 5 has only a media address: no API address.
        assert_eq!(pick(5, false, false), None);
        assert_eq!(pick(5, true, false).as_deref(), Some("10.0.1.5"));
        // CDN options never, unknown DCs none.
        assert_eq!(pick(7, false, false), None);
        assert_eq!(pick(9, false, false), None);
    }

    #[test]
    fn address_puts_obfuscated_only_last() {
        let b = DcOptions::new(vec![
            DcOption {
                tcpo_only: true,
                ..DcOption::new(1, ip("10.0.0.10"), 443)
            },
            DcOption::new(1, ip("10.0.0.11"), 443),
        ]);
        assert_eq!(b.address(1, false, false).unwrap().ip, ip("10.0.0.11"));
    }

    #[test]
    fn merge_replaces_per_dc_family_and_media() {
        let mut b = book();
        b.merge(DcOptions::new(vec![
            DcOption::new(2, ip("10.9.0.2"), 8443),
            DcOption::new(4, ip("10.0.0.4"), 443),
        ]));
        // DC 2 IPv4 non-media replaced; its IPv6 and media addresses kept.
        let dc2: Vec<String> = b
            .all()
            .iter()
            .filter(|o| o.id == 2)
            .map(|o| format!("{}:{}", o.ip, o.port))
            .collect();
        assert_eq!(
            dc2,
            [
                "fd00::2:443",
                "10.0.1.2:443",
                "fd00::102:443",
                "10.9.0.2:8443"
            ]
        );
        assert_eq!(b.address(2, false, false).unwrap().port, 8443);
        assert_eq!(b.address(4, false, true).unwrap().ip, ip("10.0.0.4"));
        assert_eq!(b.address(3, false, false).unwrap().ip, ip("10.0.0.3"));
        // Merging the same again changes no address (the order may change).
        let before = b.clone();
        b.merge(DcOptions::new(vec![DcOption::new(2, ip("10.9.0.2"), 8443)]));
        assert_eq!(b.all().len(), before.all().len());
        assert!(before.all().iter().all(|o| b.all().contains(o)));
    }
}
