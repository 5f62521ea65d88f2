//! Rust names for TL names.

use heck::ToUpperCamelCase;

/// Strict and reserved Rust keywords (2021 edition and the reserved `gen`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// A field or module name: the TL name, with a trailing `_` when it is a
/// Rust keyword (`type` -> `type_`). A trailing underscore works for every
/// keyword, unlike raw identifiers (`r#self` is not allowed).
///
/// The few TL parameters with capitals (`A`, `M1`, `srp_B` of the SRP
/// types) are lowercased to keep Rust's snake_case convention.
pub fn field_name(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A struct, enum or variant name: UpperCamelCase as `heck` spells it
/// (`resPQ` -> `ResPq`, `p_q_inner_data_dc` -> `PQInnerDataDc`).
pub fn type_name(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    if KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        camel
    }
}

/// `crate::types::auth::` style module path for a namespace.
pub fn module_path(root: &str, module: &str, namespace: &[String]) -> String {
    let mut out = format!("{root}::{module}::");
    for ns in namespace {
        out.push_str(&field_name(ns));
        out.push_str("::");
    }
    out
}
