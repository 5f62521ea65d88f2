//! Proxy links: `tg://proxy`, `tg://socks` and their `https://t.me/...`
//! forms (core.telegram.org/api/links#mtproxy-links,
//! core.telegram.org/api/links#socks5-proxy-links).

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use thiserror::Error;
use url::Url;
use zeroize::Zeroizing;

use crate::mtproxy::{MtProxySecret, SecretError};

/// Hosts that serve `https://…/proxy` and `…/socks` links.
const LINK_HOSTS: [&str; 5] = [
    "t.me",
    "www.t.me",
    "telegram.me",
    "www.telegram.me",
    "telegram.dog",
];

/// Characters left unescaped in formatted query values.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// Why a proxy link could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    #[error("this is not a Telegram proxy link; expected tg://proxy?…, tg://socks?… or https://t.me/proxy?…")]
    NotAProxyLink,
    #[error("the link asks for proxy type \"{0}\", which is not supported; only proxy (MTProxy) and socks (SOCKS5) links are")]
    UnknownMode(String),
    #[error("the proxy link has no server; check that it was copied completely")]
    MissingServer,
    #[error("the proxy link has no port; check that it was copied completely")]
    MissingPort,
    #[error("the proxy link's port \"{0}\" is not a number from 1 to 65535")]
    BadPort(String),
    #[error("the MTProxy link has no secret; check that it was copied completely")]
    MissingSecret,
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// A parsed proxy link. `Debug` hides secrets and passwords.
#[derive(Clone, PartialEq, Eq)]
pub enum ProxyLink {
    MtProxy {
        host: String,
        port: u16,
        secret: MtProxySecret,
    },
    Socks5 {
        host: String,
        port: u16,
        user: Option<String>,
        /// Wiped from memory on drop.
        pass: Option<Zeroizing<String>>,
    },
}

impl ProxyLink {
    /// Parses any supported link form.
    pub fn parse(link: &str) -> Result<Self, LinkError> {
        let link = link.trim();
        let lower = link.to_ascii_lowercase();
        let url = if lower.starts_with("tg:")
            || lower.starts_with("http://")
            || lower.starts_with("https://")
        {
            Url::parse(link)
        } else if LINK_HOSTS
            .iter()
            .any(|h| lower.starts_with(&format!("{h}/")))
        {
            Url::parse(&format!("https://{link}"))
        } else {
            return Err(LinkError::NotAProxyLink);
        }
        .map_err(|_| LinkError::NotAProxyLink)?;

        let mode = match url.scheme() {
            // tg://proxy?… has the mode as host; tg:proxy?… as path.
            "tg" => url
                .host_str()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| url.path().trim_matches('/'))
                .to_ascii_lowercase(),
            _ => {
                let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
                if !LINK_HOSTS.contains(&host.as_str()) {
                    return Err(LinkError::NotAProxyLink);
                }
                url.path().trim_matches('/').to_ascii_lowercase()
            }
        };

        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let host = param("server").ok_or(LinkError::MissingServer)?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .map_or(host.clone(), str::to_owned);
        let port_text = param("port").ok_or(LinkError::MissingPort)?;
        let port = port_text
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or(LinkError::BadPort(port_text))?;

        match mode.as_str() {
            "proxy" => {
                // Form decoding turns a standard-base64 '+' into a space.
                let secret = param("secret")
                    .ok_or(LinkError::MissingSecret)?
                    .replace(' ', "+");
                Ok(Self::MtProxy {
                    host,
                    port,
                    secret: MtProxySecret::parse(&secret)?,
                })
            }
            "socks" => Ok(Self::Socks5 {
                host,
                port,
                user: param("user"),
                pass: param("pass").map(Zeroizing::new),
            }),
            _ => Err(LinkError::UnknownMode(mode)),
        }
    }

    /// The server's host name or address.
    pub fn host(&self) -> &str {
        match self {
            Self::MtProxy { host, .. } | Self::Socks5 { host, .. } => host,
        }
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        match self {
            Self::MtProxy { port, .. } | Self::Socks5 { port, .. } => *port,
        }
    }

    /// Formats the link in its `tg://` form (secrets as hex).
    pub fn to_tg_link(&self) -> String {
        let enc = |v: &str| utf8_percent_encode(v, QUERY_VALUE).to_string();
        match self {
            Self::MtProxy { host, port, secret } => format!(
                "tg://proxy?server={}&port={port}&secret={}",
                enc(host),
                secret.to_hex()
            ),
            Self::Socks5 {
                host,
                port,
                user,
                pass,
            } => {
                let mut link = format!("tg://socks?server={}&port={port}", enc(host));
                if let Some(user) = user {
                    link.push_str(&format!("&user={}", enc(user)));
                }
                if let Some(pass) = pass {
                    link.push_str(&format!("&pass={}", enc(pass)));
                }
                link
            }
        }
    }
}

impl std::str::FromStr for ProxyLink {
    type Err = LinkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Debug for ProxyLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MtProxy { host, port, secret } => f
                .debug_struct("MtProxy")
                .field("host", host)
                .field("port", port)
                .field("secret", secret)
                .finish(),
            Self::Socks5 {
                host, port, user, ..
            } => f
                .debug_struct("Socks5")
                .field("host", host)
                .field("port", port)
                .field("user", user)
                .finish_non_exhaustive(),
        }
    }
}

#[cfg(test)]
mod tests;
