//! Telegram's rule for public usernames (core.telegram.org/method/account.checkUsername),
//! shared by the world file's checks, channels and accounts.

/// Telegram's rule for public usernames: 5-32 characters of `a-z`, `0-9`
/// and `_`, starting with a letter and not ending with `_`.
pub fn valid_username(name: &str) -> bool {
    let b = name.as_bytes();
    (5..=32).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b[b.len() - 1] != b'_'
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}
