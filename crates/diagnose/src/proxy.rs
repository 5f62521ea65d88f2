//! The proxies a user configures: SOCKS5, HTTP `CONNECT` and MTProxy.
//!
//! A [`ProxySpec`] comes from a Telegram proxy link (`tg://proxy`,
//! `tg://socks`, `https://t.me/…`, parsed by `hearth-transport`) or from a
//! URL the CLI takes: `socks5://[user:pass@]host:port`,
//! `http://[user:pass@]host:port`, `mtproxy://secret@host:port`.
//! Passwords and secrets are never printed ([`ProxySpec::display`] and
//! `Debug` redact them).

use std::fmt;

use hearth_sender::connect::{Credentials, Endpoint, MtProxySecret as RawSecret, Proxy, Route};
use hearth_transport::{MtProxySecret, ProxyLink};
use url::Url;

use crate::redact::redact;

/// A configured proxy.
#[derive(Clone, PartialEq, Eq)]
pub enum ProxySpec {
    Socks5 {
        addr: Endpoint,
        credentials: Option<Credentials>,
    },
    Http {
        addr: Endpoint,
        credentials: Option<Credentials>,
    },
    MtProxy {
        addr: Endpoint,
        secret: MtProxySecret,
    },
}

/// Which kind of proxy, for display and storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    Socks5,
    Http,
    MtProxy,
}

impl ProxyKind {
    /// The name stored in the `proxies` table and shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyKind::Socks5 => "socks5",
            ProxyKind::Http => "http",
            ProxyKind::MtProxy => "mtproxy",
        }
    }
}

/// Why a proxy URL or link could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProxyParseError {
    #[error(transparent)]
    Link(#[from] hearth_transport::LinkError),
    #[error(transparent)]
    Secret(#[from] hearth_transport::SecretError),
    /// The text, with any password or secret removed ([`redact`]).
    #[error("\"{0}\" is not a proxy URL; use socks5://[user:pass@]host:port, http://[user:pass@]host:port, mtproxy://secret@host:port or a tg://proxy link")]
    NotAUrl(String),
    #[error("proxy type \"{0}\" is not supported; use socks5, http or mtproxy")]
    Scheme(String),
    #[error("the proxy URL has no host")]
    MissingHost,
    #[error("the proxy URL has no port; add :PORT after the host")]
    MissingPort,
    #[error("the mtproxy URL has no secret; write it as mtproxy://SECRET@host:port")]
    MissingSecret,
    #[error("the SOCKS5 link has a password but no user name")]
    PasswordWithoutUser,
}

/// Percent-decodes a URL user-info part (user names and passwords may
/// contain `@` or `:` written as `%40`, `%3A`).
fn decode(part: &str) -> String {
    percent_encoding::percent_decode_str(part)
        .decode_utf8_lossy()
        .into_owned()
}

impl ProxySpec {
    /// Parses a CLI proxy URL or a Telegram proxy link.
    pub fn parse(text: &str) -> Result<Self, ProxyParseError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let bare = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        let link_host = [
            "t.me/",
            "www.t.me/",
            "telegram.me/",
            "www.telegram.me/",
            "telegram.dog/",
        ]
        .iter()
        .any(|h| bare.starts_with(h));
        if lower.starts_with("tg:") || link_host {
            return Self::from_link(ProxyLink::parse(text)?);
        }
        let url = Url::parse(text).map_err(|_| ProxyParseError::NotAUrl(redact(text)))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or(ProxyParseError::MissingHost)?;
        let port = url
            .port_or_known_default()
            .ok_or(ProxyParseError::MissingPort)?;
        let addr = Endpoint::new(host, port);
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            ("", Some(_)) => return Err(ProxyParseError::PasswordWithoutUser),
            (u, p) => Some(Credentials::new(decode(u), decode(p.unwrap_or("")))),
        };
        match url.scheme() {
            "socks5" | "socks5h" | "socks" => Ok(Self::Socks5 { addr, credentials }),
            "http" => Ok(Self::Http { addr, credentials }),
            "mtproxy" | "mtproto" => {
                let secret = match url.username() {
                    "" => return Err(ProxyParseError::MissingSecret),
                    s => MtProxySecret::parse(&decode(s))?,
                };
                Ok(Self::MtProxy { addr, secret })
            }
            other => Err(ProxyParseError::Scheme(other.to_owned())),
        }
    }

    /// Converts a parsed Telegram proxy link.
    pub fn from_link(link: ProxyLink) -> Result<Self, ProxyParseError> {
        Ok(match link {
            ProxyLink::MtProxy { host, port, secret } => Self::MtProxy {
                addr: Endpoint::new(host, port),
                secret,
            },
            ProxyLink::Socks5 {
                host,
                port,
                user,
                pass,
            } => {
                let credentials = match (user, pass) {
                    (None, None) => None,
                    (None, Some(_)) => return Err(ProxyParseError::PasswordWithoutUser),
                    (Some(u), p) => {
                        Some(Credentials::new(u, p.as_ref().map_or("", |p| p.as_str())))
                    }
                };
                Self::Socks5 {
                    addr: Endpoint::new(host, port),
                    credentials,
                }
            }
        })
    }

    pub fn kind(&self) -> ProxyKind {
        match self {
            Self::Socks5 { .. } => ProxyKind::Socks5,
            Self::Http { .. } => ProxyKind::Http,
            Self::MtProxy { .. } => ProxyKind::MtProxy,
        }
    }

    /// The proxy's own address.
    pub fn addr(&self) -> &Endpoint {
        match self {
            Self::Socks5 { addr, .. } | Self::Http { addr, .. } | Self::MtProxy { addr, .. } => {
                addr
            }
        }
    }

    /// A short label without secrets: `socks5 127.0.0.1:1080`,
    /// `mtproxy(dd) 127.0.0.1:443`.
    pub fn label(&self) -> String {
        match self {
            Self::MtProxy { addr, secret } => {
                let mode = match secret {
                    MtProxySecret::Simple(_) => "plain",
                    MtProxySecret::Padded(_) => "dd",
                    MtProxySecret::FakeTls { .. } => "ee",
                };
                format!("mtproxy({mode}) {addr}")
            }
            other => format!("{} {}", other.kind().as_str(), other.addr()),
        }
    }

    /// The route `hearth-sender` connects along.
    pub fn route(&self) -> Route {
        match self {
            Self::Socks5 { addr, credentials } => Route::Proxy(Proxy::Socks5 {
                addr: addr.clone(),
                credentials: credentials.clone(),
            }),
            Self::Http { addr, credentials } => Route::Proxy(Proxy::Http {
                addr: addr.clone(),
                credentials: credentials.clone(),
            }),
            Self::MtProxy { addr, secret } => Route::MtProxy {
                server: addr.clone(),
                secret: RawSecret::new(secret.to_bytes()),
                via: None,
            },
        }
    }
}

impl fmt::Debug for ProxySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials and secrets redact themselves; the label has neither.
        f.write_str(&self.label())
    }
}

impl fmt::Display for ProxySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn cli_urls() {
        let s = ProxySpec::parse("socks5://alice:p%40ss@127.0.0.1:1080").unwrap();
        match &s {
            ProxySpec::Socks5 {
                addr,
                credentials: Some(c),
            } => {
                assert_eq!(addr.to_string(), "127.0.0.1:1080");
                assert_eq!(
                    (c.username.as_str(), c.password.as_str()),
                    ("alice", "p@ss")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(!format!("{s:?} {s}").contains("p@ss"));
        let h = ProxySpec::parse("http://[::1]:8888").unwrap();
        assert_eq!(h.label(), "http [::1]:8888");
        assert!(matches!(
            h,
            ProxySpec::Http {
                credentials: None,
                ..
            }
        ));
        let m = ProxySpec::parse(&format!("mtproxy://dd{KEY}@127.0.0.1:4443")).unwrap();
        assert_eq!(m.label(), "mtproxy(dd) 127.0.0.1:4443");
        assert!(!format!("{m:?}").contains(KEY));
        assert!(matches!(m.route(), Route::MtProxy { .. }));
    }

    #[test]
    fn cli_url_errors() {
        assert!(matches!(
            ProxySpec::parse("socks5://127.0.0.1"),
            Err(ProxyParseError::MissingPort)
        ));
        assert!(matches!(
            ProxySpec::parse("ftp://127.0.0.1:2121"),
            Err(ProxyParseError::Scheme(_))
        ));
        assert!(matches!(
            ProxySpec::parse("mtproxy://127.0.0.1:443"),
            Err(ProxyParseError::MissingSecret)
        ));
        assert!(matches!(
            ProxySpec::parse("mtproxy://zz@127.0.0.1:443"),
            Err(ProxyParseError::Secret(_))
        ));
        assert!(matches!(
            ProxySpec::parse("not a url"),
            Err(ProxyParseError::NotAUrl(_))
        ));
    }

    #[test]
    fn errors_never_echo_a_password_or_secret() {
        let bad = [
            "socks5://alice:hunter2@127.0.0.1:99999",
            "socks5://alice:hunter2@[::1",
            "http://alice:hunter2@bad host:80",
            "socks5://alice:hun@ter2@127.0.0.1",
            "ftp://alice:hunter2@127.0.0.1:21",
            "mtproxy://ee00112233445566778899aabbccddeeff6578@",
            "mtproxy://hunter2@127.0.0.1:443",
            "tg://proxy?server=127.0.0.1&port=99999&secret=hunter2",
            "tg://socks?server=127.0.0.1&port=x&user=a&pass=hunter2",
        ];
        for text in bad {
            let err = ProxySpec::parse(text).expect_err(text);
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("hunter2"), "{text}: {shown}");
            assert!(!shown.contains("ter2"), "{text}: {shown}");
            assert!(!shown.contains("00112233"), "{text}: {shown}");
        }
    }

    #[test]
    fn telegram_links() {
        let m = ProxySpec::parse(&format!(
            "tg://proxy?server=127.0.0.1&port=443&secret=ee{KEY}6578616d706c652e636f6d"
        ))
        .unwrap();
        assert_eq!(m.label(), "mtproxy(ee) 127.0.0.1:443");
        let s = ProxySpec::parse("https://t.me/socks?server=127.0.0.1&port=1080&user=u&pass=p")
            .unwrap();
        assert!(matches!(
            &s,
            ProxySpec::Socks5 { credentials: Some(c), .. } if c.username == "u" && c.password == "p"
        ));
        let plain = ProxySpec::parse(&format!(
            "https://t.me/proxy?server=127.0.0.1&port=443&secret={KEY}"
        ))
        .unwrap();
        assert_eq!(plain.label(), "mtproxy(plain) 127.0.0.1:443");
        assert!(matches!(
            ProxySpec::parse("tg://socks?server=127.0.0.1"),
            Err(ProxyParseError::Link(_))
        ));
        // A proxy whose own name mentions Telegram is still a URL.
        let named = ProxySpec::parse("socks5://telegram.example:1080").unwrap();
        assert_eq!(named.label(), "socks5 telegram.example:1080");
        assert!(ProxySpec::parse("t.me/socks?server=127.0.0.1&port=1080").is_ok());
    }
}
