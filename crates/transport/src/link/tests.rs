//! Proxy link parsing tests on real-looking links.

use super::*;

const KEY: &str = "0123456789abcdef0123456789abcdef";

fn key() -> [u8; 16] {
    hex::decode(KEY).unwrap().try_into().unwrap()
}

#[test]
fn parses_every_mtproxy_link_form() {
    let query = format!("server=proxy.example.net&port=443&secret=dd{KEY}");
    let expected = ProxyLink::MtProxy {
        host: "proxy.example.net".into(),
        port: 443,
        secret: MtProxySecret::Padded(key()),
    };
    for link in [
        format!("tg://proxy?{query}"),
        format!("TG://PROXY?{query}"),
        format!("tg:proxy?{query}"),
        format!("https://t.me/proxy?{query}"),
        format!("http://t.me/proxy?{query}"),
        format!("t.me/proxy?{query}"),
        format!("https://telegram.me/proxy?{query}"),
        format!("telegram.me/proxy?{query}"),
        format!("  https://www.t.me/proxy/?{query}  "),
    ] {
        assert_eq!(ProxyLink::parse(&link).unwrap(), expected, "{link}");
    }
}

#[test]
fn parses_base64url_fake_tls_secret() {
    let mut raw = vec![0xee];
    raw.extend_from_slice(&[0xfe; 16]);
    raw.extend_from_slice(b"cdn.example.com");
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
    let link = format!("https://t.me/proxy?server=203.0.113.7&port=8443&secret={b64}");
    let ProxyLink::MtProxy { host, port, secret } = ProxyLink::parse(&link).unwrap() else {
        panic!("expected an MTProxy link");
    };
    assert_eq!((host.as_str(), port), ("203.0.113.7", 8443));
    assert_eq!(secret.domain(), Some("cdn.example.com"));
    assert_eq!(secret.key(), &[0xfe; 16]);
    // Standard base64, '+' percent-encoded or (badly) left raw.
    let std = base64::engine::general_purpose::STANDARD.encode(&raw);
    assert!(std.contains('+'));
    for secret in [std.replace('+', "%2B").replace('/', "%2F"), std.clone()] {
        let link = format!("tg://proxy?server=h&port=1&secret={secret}");
        assert_eq!(ProxyLink::parse(&link).unwrap().port(), 1, "{secret}");
    }
}

#[test]
fn parses_socks_links_with_percent_decoding() {
    let link = "tg://socks?server=10.0.0.1&port=1080&user=al%20ice&pass=p%40ss%26w";
    assert_eq!(
        ProxyLink::parse(link).unwrap(),
        ProxyLink::Socks5 {
            host: "10.0.0.1".into(),
            port: 1080,
            user: Some("al ice".into()),
            pass: Some(Zeroizing::new("p@ss&w".into())),
        }
    );
    let anon = ProxyLink::parse("https://t.me/socks?server=[::1]&port=9050").unwrap();
    assert_eq!(
        anon,
        ProxyLink::Socks5 {
            host: "::1".into(),
            port: 9050,
            user: None,
            pass: None
        }
    );
}

#[test]
fn reports_what_is_wrong() {
    let cases: [(&str, LinkError); 8] = [
        ("tg://proxy?server=h&secret=00", LinkError::MissingPort),
        ("tg://proxy?port=1&secret=00", LinkError::MissingServer),
        ("tg://proxy?server=h&port=1", LinkError::MissingSecret),
        (
            "tg://proxy?server=h&port=70000&secret=00",
            LinkError::BadPort("70000".into()),
        ),
        (
            "tg://proxy?server=h&port=0&secret=00",
            LinkError::BadPort("0".into()),
        ),
        (
            "tg://http?server=h&port=1",
            LinkError::UnknownMode("http".into()),
        ),
        (
            "https://example.com/proxy?server=h&port=1",
            LinkError::NotAProxyLink,
        ),
        (
            "tg://proxy?server=h&port=1&secret=0011",
            LinkError::Secret(SecretError::BadLength(2)),
        ),
    ];
    for (link, error) in cases {
        assert_eq!(ProxyLink::parse(link), Err(error), "{link}");
    }
    assert_eq!(ProxyLink::parse("hello"), Err(LinkError::NotAProxyLink));
    assert!(LinkError::MissingPort.to_string().contains("no port"));
}

#[test]
fn formats_back_to_tg_links() {
    let links = [
        ProxyLink::MtProxy {
            host: "proxy.example.net".into(),
            port: 443,
            secret: MtProxySecret::FakeTls {
                key: key(),
                domain: "example.com".into(),
            },
        },
        ProxyLink::MtProxy {
            host: "2001:db8::1".into(),
            port: 80,
            secret: MtProxySecret::Simple(key()),
        },
        ProxyLink::Socks5 {
            host: "h".into(),
            port: 1080,
            user: Some("a b&c".into()),
            pass: Some(Zeroizing::new("=?#".into())),
        },
    ];
    for link in links {
        let text = link.to_tg_link();
        assert!(text.starts_with("tg://"));
        assert_eq!(ProxyLink::parse(&text).unwrap(), link, "{text}");
    }
    let text = ProxyLink::MtProxy {
        host: "h".into(),
        port: 1,
        secret: MtProxySecret::Padded(key()),
    }
    .to_tg_link();
    assert_eq!(text, format!("tg://proxy?server=h&port=1&secret=dd{KEY}"));
}

#[test]
fn debug_hides_password() {
    let link = ProxyLink::parse("tg://socks?server=h&port=1&user=u&pass=hunter2").unwrap();
    assert!(!format!("{link:?}").contains("hunter2"));
}
