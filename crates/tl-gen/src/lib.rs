//! Generates the Rust source of a TL types crate from a parsed schema.
//!
//! The output of [`generate`] is one file holding `pub mod types`,
//! `pub mod enums` and `pub mod functions` (namespaces become nested
//! modules), an optional `pub const LAYER`, a
//! `pub(crate) fn <name_fn>(id: u32) -> Option<&'static str>` and, if asked
//! for, its inverse over the functions,
//! `pub(crate) fn <function_id_fn>(name: &str) -> Option<u32>`. It relies on
//! the runtime of `hearth-tl` at `crate::` (traits `Serializable`,
//! `Deserializable`, `Identifiable`, `RemoteCall`, `Cursor`, the helpers
//! `serialize_id`, `serialize_bare_vec`, `deserialize_bare_vec`,
//! `unexpected_constructor`); see that crate for the Rust mapping of TL types.

mod emit;
mod model;
mod names;

use hearth_tl_parser::Schema;
pub use model::BOX_THRESHOLD;
use thiserror::Error;

/// How to generate one schema.
#[derive(Debug, Clone)]
pub struct Config {
    /// Path of the module the output is included in (`crate`, `crate::mtproto`).
    pub root: String,
    /// Boxed TL types implemented by hand, with their Rust paths
    /// (`("FutureSalts", "crate::mtproto::special::FutureSalts")`).
    pub extern_types: Vec<(String, String)>,
    /// Emit `pub const LAYER: i32` from the schema's `// LAYER` line.
    pub emit_layer: bool,
    /// Name of the generated id-to-name function.
    pub name_fn: String,
    /// Name of the generated function-name-to-id lookup (`messages.sendMessage`
    /// → `0xfef48f62`), a binary search over a table sorted at build time;
    /// `None` emits none.
    pub function_id_fn: Option<String>,
    /// `string` fields that carry arbitrary bytes rather than UTF-8 text, as
    /// (constructor, field): generated as `Vec<u8>` (same wire format as
    /// `bytes`), so decoding never replaces invalid UTF-8. Example:
    /// `("msgs_state_info", "info")`
    /// (core.telegram.org/mtproto/service_messages_about_messages).
    pub byte_strings: Vec<(String, String)>,
}

/// A schema the generator cannot express.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GenError {
    #[error(
        "line {line}: type `{ty}` is neither declared in the schema nor mapped to a Rust type"
    )]
    UnknownType { line: usize, ty: String },
    #[error("line {line}: bare type `{ty}` does not name exactly one constructor")]
    AmbiguousBare { line: usize, ty: String },
    #[error("line {line}: `{ty}` (vector of bare constructors) needs hand-written code; mark the line `// special`")]
    Unsupported { line: usize, ty: String },
    #[error("`{a}` and `{b}` both become the Rust name `{rust}`")]
    NameClash { a: String, b: String, rust: String },
    #[error("the schema has no `// LAYER N` line")]
    MissingLayer,
}

/// Generates Rust source for `schema`.
pub fn generate(schema: &Schema, config: &Config) -> Result<String, GenError> {
    let model = model::Model::new(schema, config)?;
    emit::emit(&model, schema, config)
}

#[cfg(test)]
mod tests;
