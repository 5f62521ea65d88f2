//! The module layering of `docs/ARCHITECTURE.md` ("localdc's modules"),
//! checked on the source text: the data modules name no request handling
//! (`crate::rpc`, `crate::server`, the session machinery), and `rpc::tl`
//! names no method handler. Comments are skipped; test modules may reach
//! anywhere.

use std::path::{Path, PathBuf};

/// Modules below `rpc`: the tables of `ServerState` and what they are made
/// of.
const DATA: &[&str] = &[
    "channels",
    "chats.rs",
    "contacts.rs",
    "faults",
    "file_ref.rs",
    "files.rs",
    "keys.rs",
    "login_tokens.rs",
    "mailbox",
    "photos.rs",
    "random_ids.rs",
    "rpc_error.rs",
    "salts.rs",
    "seq.rs",
    "session_state.rs",
    "srp.rs",
    "state.rs",
    "store",
    "usernames.rs",
    "users.rs",
    "world",
    "world_apps.rs",
    "world_media.rs",
];

/// What `rpc::tl` may name inside `rpc`: the request context, the media
/// builders and itself.
const TL_ALLOWED: &[&str] = &["crate::rpc::ctx", "crate::rpc::media", "crate::rpc::tl"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files at `path` (a file or a directory), test files left out.
fn files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).expect("source directory") {
        let p = entry.expect("directory entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            out.extend(files(&p));
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            out.push(p);
        }
    }
    out
}

/// The code of a file: comments and `#[cfg(test)] mod tests { … }` removed.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source file");
    let text: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    const TESTS: &str = "#[cfg(test)]\nmod tests {";
    let Some(start) = text.find(TESTS) else {
        return text;
    };
    // Skip to the brace that closes the module (comments are gone, and a
    // brace inside a string would only end the skip early: more is checked).
    let mut depth = 0;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return format!("{}{}", &text[..start], &text[start + i + 1..]),
            '}' => depth -= 1,
            _ => {}
        }
    }
    text[..start].to_owned()
}

/// Whether `code` names the module `path` itself (not one whose name merely
/// starts the same, as `crate::rpc_error` starts like `crate::rpc`).
fn names(code: &str, path: &str) -> bool {
    code.match_indices(path).any(|(at, _)| {
        let next = code[at + path.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn data_modules_name_no_request_handling() {
    let mut offences = Vec::new();
    for module in DATA {
        for file in files(&src().join(module)) {
            let code = code(&file);
            // `crate::rpc_error` and `crate::session_state` are data.
            for bad in ["crate::rpc", "crate::server", "crate::session"] {
                if names(&code, bad) {
                    offences.push(format!("{} names {bad}", file.display()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

#[test]
fn tl_builders_name_no_method_handler() {
    let mut offences = Vec::new();
    for file in files(&src().join("rpc/tl")) {
        let code = code(&file);
        for (at, _) in code.match_indices("crate::rpc::") {
            let path = &code[at..];
            if !TL_ALLOWED.iter().any(|ok| path.starts_with(ok)) {
                let shown: String = path.chars().take(40).collect();
                offences.push(format!("{} names {shown}", file.display()));
            }
        }
        if code.contains("super::super") {
            offences.push(format!("{} reaches above rpc::tl", file.display()));
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

/// The media modules every `sendMedia` handler shares (`rpc/media.rs` builds,
/// `rpc/input_media.rs` stores) sit beside `rpc::tl`: they name no handler.
#[test]
fn shared_media_modules_name_no_method_handler() {
    let mut offences = Vec::new();
    for name in ["rpc/media.rs", "rpc/input_media.rs"] {
        let file = src().join(name);
        let code = code(&file);
        for prefix in ["crate::rpc::", "super::"] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                if !["ctx", "media", "tl"].iter().any(|ok| rest.starts_with(ok)) {
                    let shown: String = code[at..].chars().take(40).collect();
                    offences.push(format!("{} names {shown}", file.display()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

#[test]
fn the_checks_see_the_modules_they_guard() {
    // A renamed module must not turn the checks above into checks of nothing.
    for module in DATA {
        assert!(!files(&src().join(module)).is_empty(), "{module} is gone");
    }
    let seq = code(&src().join("seq.rs"));
    assert!(seq.contains("pub fn push_updates"), "code is kept");
    assert!(
        !seq.contains("numbers and queues"),
        "doc comments are left out"
    );
    assert!(names("use crate::rpc::ctx;", "crate::rpc"));
    assert!(names("use crate::rpc;", "crate::rpc"));
    assert!(!names("use crate::rpc_error::RpcError;", "crate::rpc"));
    assert!(names(&code(&src().join("rpc/mod.rs")), "crate::rpc_error"));
    assert!(files(&src().join("rpc/tl")).len() >= 5);
    assert!(code(&src().join("rpc/input_media.rs")).contains("pub fn store_media"));
}
