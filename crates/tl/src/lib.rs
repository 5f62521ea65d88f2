//! Telegram's TL types and their binary serialization
//! (core.telegram.org/mtproto/serialize).
//!
//! The modules [`types`], [`enums`] and [`functions`] are generated at build
//! time from `schema/api.tl` by `hearth-tl-gen` (see `build.rs`);
//! [`mtproto`] holds the same three modules for `schema/mtproto.tl` plus the
//! hand-written [`mtproto::special`] service types.
//!
//! # Mapping
//! - one struct per constructor in `types` (TL namespaces become modules:
//!   `types::auth::SentCode`), one enum per boxed type in `enums` whose
//!   variants are named after the constructors (`enums::auth::SentCode::SentCode`);
//!   constructors without fields are unit variants;
//! - one struct per function in `functions`, implementing [`RemoteCall`];
//! - names are UpperCamelCase (`resPQ` -> `ResPq`); fields keep their TL
//!   names, and a field or module whose name is a Rust keyword gets a
//!   trailing underscore (`type` -> `type_`);
//! - `int` `i32`, `long` `i64`, `double` `f64`, `int128` `[u8; 16]`,
//!   `int256` `[u8; 32]`, `bytes` `Vec<u8>`, `string` `String` (invalid UTF-8
//!   decoded lossily), `Bool` and `flags.N?true` `bool`, `Vector<T>` and bare
//!   `vector<T>` `Vec<T>`, optional fields `Option<T>`; `#` flag words are not
//!   fields: serialization computes them from the optional fields;
//! - a field of a constructor is boxed (`Box<T>`, `Option<Box<T>>`) when its
//!   type can contain the struct's own type again, or when that type is large
//!   (estimated over `hearth_tl_gen::BOX_THRESHOLD` = 192 bytes inline, e.g.
//!   `Message::media`), which keeps vectors of messages and updates cheap to
//!   build and move; function fields are never boxed;
//! - generic functions (`invokeWithLayer {X:Type} ... query:!X = X`) are
//!   generic structs whose `Return` is `X::Return`. A server reads them with
//!   `X = `[`RawQuery`], which keeps the inner query as raw bytes.
//!
//! [`name_for_id`] names any id; [`api_function_id`] is its inverse for
//! api.tl's functions (a table sorted at build time, searched by halves).
//!
//! Types serialize with their constructor id (boxed) through
//! [`Serializable`]; the generated `serialize_bare` / `deserialize_bare`
//! methods handle the body alone.
//!
//! # Hostile input
//! Decoding never trusts a length or count further than the input backs it:
//! - `gzip_packed` is not a value of any type here: a generated decoder that
//!   meets it fails with [`DeserializeError::GzipNotAllowed`]. Telegram packs
//!   only a whole RPC result (core.telegram.org/mtproto/service_messages,
//!   "Packed Object"), so packed data is unpacked once, before decoding, by
//!   whoever reads the message ([`mtproto::special::unpack_object`],
//!   `hearth-mtproto`'s session) under one inflate budget for that message;
//!   packed data that unpacks to `gzip_packed` again is refused. Key-exchange
//!   answers are decoded directly, so they are never unpacked at all;
//! - a vector's declared count must fit the remaining input (4 bytes per
//!   item at least) and preallocates at most [`PREALLOC_BYTES`], so a lying
//!   count costs nothing;
//! - a `bytes`/`string` length prefix of 255 is refused, as Telegram's TL does;
//! - recursive types nest at most [`MAX_DEPTH`] levels.

mod cursor;
mod error;
mod primitives;
mod raw;

pub mod mtproto;

pub use cursor::{Cursor, MAX_DEPTH};
pub use error::DeserializeError;
pub use primitives::{
    deserialize_bare_vec, deserialize_bytes, serialize_bare_vec, serialize_bytes, PREALLOC_BYTES,
};
pub use raw::RawQuery;

include!(concat!(env!("OUT_DIR"), "/api.rs"));

/// A value that can be written in TL binary form.
pub trait Serializable {
    /// Appends the serialized value to `buf`.
    fn serialize(&self, buf: &mut Vec<u8>);

    /// The serialized value as a new buffer.
    fn to_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        self.serialize(&mut buf);
        buf
    }
}

/// A value that can be read from TL binary form.
pub trait Deserializable: Sized {
    /// Reads one value, advancing `buf` past it.
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError>;

    /// Reads one value from the start of `bytes`. Bytes after the value are
    /// ignored (MTProto payloads carry padding).
    fn from_bytes(bytes: &[u8]) -> Result<Self, DeserializeError> {
        Self::deserialize(&mut Cursor::new(bytes))
    }
}

/// A constructor or function with a fixed 32-bit id.
pub trait Identifiable {
    const CONSTRUCTOR_ID: u32;
}

/// A function that can be sent to the server, answered by a `Return`.
pub trait RemoteCall: Serializable {
    type Return: Deserializable;
}

/// The TL name (`auth.sentCode`, `req_pq_multi`, `vector`) of any constructor
/// or function of api.tl or mtproto.tl, for logs and diagnostics.
pub fn name_for_id(id: u32) -> Option<&'static str> {
    api_name_for_id(id).or_else(|| mtproto::mtproto_name_for_id(id))
}

/// The id of a function of api.tl by its TL name (`messages.sendMessage`);
/// `None` for constructors, mtproto.tl's functions and unknown names.
pub fn api_function_id(name: &str) -> Option<u32> {
    api_function_id_of(name)
}

/// Writes a constructor id.
#[doc(hidden)]
#[inline]
pub fn serialize_id(id: u32, buf: &mut Vec<u8>) {
    buf.extend_from_slice(&id.to_le_bytes());
}

/// The fallback arm of every generated boxed-enum decoder: `id` is none of
/// the type's constructors. A `gzip_packed` gets its own error, since it is
/// only valid as a whole message (see the crate docs).
#[doc(hidden)]
pub fn unexpected_constructor(id: u32, expected: &'static str) -> DeserializeError {
    if id == mtproto::special::GZIP_PACKED_ID {
        DeserializeError::GzipNotAllowed { expected }
    } else {
        DeserializeError::UnexpectedConstructor { id, expected }
    }
}
