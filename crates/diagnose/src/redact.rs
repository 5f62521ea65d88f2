//! Proxy text safe to put in an error message.
//!
//! A proxy URL the user typed may carry a password (`socks5://user:pass@…`)
//! or an MTProxy secret (`mtproxy://SECRET@…`, `tg://proxy?…&secret=…`).
//! When such text fails to parse it must not come back whole in an error
//! (IPC, UI alert, CLI stderr, logs): [`redact`] strips the user-info part
//! and the values of secret-bearing query parameters first.
//!
//! Invariant: over-redaction is fine, leaking is not. Input that does not
//! parse cannot be trusted to have its `@` or `?` where a URL has them, so
//! everything from the scheme up to the *last* `@` is dropped, wherever it
//! is.

/// Query parameters whose values are secret in Telegram proxy links and
/// proxy URLs.
const SECRET_PARAMS: &[&str] = &["secret", "pass", "password"];

/// What replaces a removed secret.
const HIDDEN: &str = "***";

/// `text` with its user-info part and its `secret=`/`pass=`/`password=`
/// values replaced by `***`: `socks5://alice:hunter2@host:99999` becomes
/// `socks5://***@host:99999`.
pub fn redact(text: &str) -> String {
    let start = text.find("://").map_or(0, |i| i + 3);
    let (head, rest) = text.split_at(start);
    let rest = match rest.rfind('@') {
        Some(at) => format!("{HIDDEN}{}", &rest[at..]),
        None => rest.to_owned(),
    };
    format!("{head}{}", redact_params(&rest))
}

/// Replaces the value of every secret-bearing `name=value` pair (after `?`,
/// `&` or `;`, names compared without case) up to the next `&`, `;` or `#`.
fn redact_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after) = rest.split_at(eq);
        let name_start = before.rfind(['?', '&', ';']).map_or(0, |i| i + 1);
        let name = &before[name_start..];
        out.push_str(before);
        out.push('=');
        let after = &after[1..];
        if SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
            let end = after.find(['&', ';', '#']).unwrap_or(after.len());
            out.push_str(HIDDEN);
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_removed_host_kept() {
        assert_eq!(
            redact("socks5://alice:hunter2@127.0.0.1:99999"),
            "socks5://***@127.0.0.1:99999"
        );
        assert_eq!(
            redact("mtproxy://ee00112233@host:443"),
            "mtproxy://***@host:443"
        );
        // Unencoded `@`, `/`, `?` and `#` inside the password.
        for pass in ["p@ss", "pa/ss", "p?ss", "p#ss", "p:a:s"] {
            let out = redact(&format!("socks5://u:{pass}@h:1"));
            assert_eq!(out, "socks5://***@h:1", "{pass}");
        }
        assert_eq!(redact("alice:hunter2@h:1"), "***@h:1");
        assert_eq!(redact("http://h:8080"), "http://h:8080");
    }

    #[test]
    fn secret_parameters_are_hidden() {
        let out = redact("tg://proxy?server=h&port=99999&secret=ee0011&x=1");
        assert_eq!(out, "tg://proxy?server=h&port=99999&secret=***&x=1");
        let out = redact("https://t.me/socks?server=h&user=u&PASS=hunter2#frag");
        assert_eq!(out, "https://t.me/socks?server=h&user=u&PASS=***#frag");
        assert_eq!(redact("tg://socks?pass=a=b=c"), "tg://socks?pass=***");
    }
}
