//! Clients on older layers: requests read and answers written in the layer a
//! client declares with `invokeWithLayer` (core.telegram.org/api/invoking#layers).
//!
//! localdc is written against the current schema (`schema/api.tl`, layer
//! [`CURRENT`]); `schema/layers/<layer>.tl` keeps the API schema of each
//! older layer a Telethon, Pyrogram, kurigram or pyrofork release speaks
//! (`schema/layers/SOURCE.md`). A client is served in the newest stored
//! schema at or below its layer (the oldest stored one below that):
//!
//! * a request is read with that schema (functions by id, nested queries
//!   through `!X`) and written with the current one ([`request_to_current`]);
//! * the answer is read with the current schema, its static type the
//!   method's result type (so `Vector<User>` needs no boxed id), and written
//!   with the client's ([`answer_to`]);
//! * a pushed `Updates` object likewise ([`updates_to`]).
//!
//! Writing in another layer is [`write`]'s: constructors matched by name,
//! fields by name, flags recomputed, missing constructors replaced by their
//! type's `…Unsupported`/`…Empty` form or left out of their vector, as
//! Telegram does. Nothing here is a per-constructor table: every rule comes
//! from the two schemas, except one renamed request field
//! ([`reply_to_of_old_calls`]), one reshaped answer ([`user_full_before_134`])
//! and the `InputPeer` forms Telegram reads as `InputUser`/`InputChannel`
//! ([`write::input_alias`]).
//!
//! Invariants: a client on [`CURRENT`] or newer (or with no declared
//! layer) costs nothing; each stored schema is parsed once, on first use;
//! reading refuses malformed input without panicking ([`value`]).

pub mod schema;
pub mod value;
pub mod write;

use std::sync::OnceLock;

use schema::{Schema, Ty};
use value::Value;

include!(concat!(env!("OUT_DIR"), "/layers.rs"));

/// The layer localdc's own objects are in.
pub const CURRENT: i32 = hearth_tl::LAYER;

/// Why a message could not be carried across layers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("malformed TL: {0}")]
    Malformed(&'static str),
    #[error("constructor {0:#010x} is not in the schema")]
    UnknownId(u32),
    #[error("{0} has no form in layer {1}")]
    NoForm(String, i32),
    #[error("method {0} is not in the current schema")]
    UnknownMethod(String),
}

/// The current schema, parsed once.
pub fn current() -> &'static Schema {
    static CELL: OnceLock<Schema> = OnceLock::new();
    CELL.get_or_init(|| {
        Schema::parse(include_str!("../../../../schema/api.tl"), CURRENT)
            .expect("schema/api.tl parses (hearth-tl is built from it)")
    })
}

/// The layers stored in `schema/layers/`, oldest first.
pub fn stored_layers() -> impl Iterator<Item = i32> {
    EMBEDDED.iter().map(|(l, _)| *l)
}

/// The schema a client that declared `layer` is served in, or `None` when
/// that is the current one.
pub fn schema_for(layer: Option<i32>) -> Option<&'static Schema> {
    static CELLS: OnceLock<Vec<OnceLock<Option<Schema>>>> = OnceLock::new();
    let layer = layer.filter(|l| *l < CURRENT)?;
    let index = EMBEDDED
        .iter()
        .rposition(|(l, _)| *l <= layer)
        .or((!EMBEDDED.is_empty()).then_some(0))?;
    let cells = CELLS.get_or_init(|| EMBEDDED.iter().map(|_| OnceLock::new()).collect());
    cells[index]
        .get_or_init(|| {
            let (l, packed) = EMBEDDED[index];
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(packed), &mut text)
                .inspect_err(|e| tracing::error!(layer = l, "stored schema does not unpack: {e}"))
                .ok()?;
            Schema::parse(&text, l)
                .inspect_err(|e| tracing::error!(layer = l, "stored schema does not parse: {e}"))
                .ok()
        })
        .as_ref()
}

/// The layer a request declares (`invokeWithLayer` as its outer call).
pub fn declared_layer(body: &[u8]) -> Option<i32> {
    const INVOKE_WITH_LAYER: u32 = 0xda9b_0d0d;
    let id = u32::from_le_bytes(*body.first_chunk::<4>()?);
    let layer = body.get(4..8)?;
    (id == INVOKE_WITH_LAYER).then(|| i32::from_le_bytes([layer[0], layer[1], layer[2], layer[3]]))
}

/// A request of a client on `old`, in the current layer, with the name of
/// its innermost method (under `invokeWithLayer`, `initConnection`, …).
pub fn request_to_current(old: &Schema, body: &[u8]) -> Result<(Vec<u8>, String), Error> {
    let mut v = value::read(old, &Ty::Query, body)?;
    reply_to_of_old_calls(&mut v);
    let mut inner = &v;
    while let Value::Object(o) = inner {
        let nested = old.function_named(&o.name).is_some_and(|f| {
            f.params
                .iter()
                .any(|p| p.name == "query" && p.ty == Some(Ty::Query))
        });
        match o.get("query") {
            Some(q) if nested => inner = q,
            _ => break,
        }
    }
    let Value::Object(method) = inner else {
        return Err(Error::Malformed("a request is not a call"));
    };
    let name = method.name.clone();
    let mut out = Vec::with_capacity(body.len());
    write::write(current(), &Ty::Query, &v, &mut out)
        .map_err(|_| Error::NoForm(name.clone(), CURRENT))?;
    Ok((out, name))
}

/// A current-layer request with each `InputPeer` form that stands where an
/// `InputUser` or `InputChannel` is expected rewritten as that type's form
/// ([`write::input_alias`]); `None` when there is none or the request does
/// not read. Called only after a request failed to decode, so well-formed
/// requests cost nothing.
pub fn input_peers_as_inputs(body: &[u8]) -> Option<Vec<u8>> {
    let v = value::read(current(), &Ty::Query, body).ok()?;
    let mut out = Vec::with_capacity(body.len());
    write::write(current(), &Ty::Query, &v, &mut out).ok()?;
    (out != body).then_some(out)
}

/// The one renamed field the name rule cannot carry: before layer 158
/// (Telethon 1.28 and older, Pyrogram up to 2.0.103) `messages.sendMessage`,
/// `sendMedia` and `sendMultiMedia` name the replied message
/// `reply_to_msg_id:flags.0?int` (with `top_msg_id` beside it); the current
/// layer wraps both in `reply_to:flags.0?InputReplyTo` as
/// `inputReplyToMessage`. Without this, an old client's reply would arrive
/// as a plain message.
fn reply_to_of_old_calls(v: &mut Value) {
    let Value::Object(o) = v else { return };
    if let Some(Value::Object(_)) = o.get("query") {
        if let Some((_, q)) = o.fields.iter_mut().find(|(n, _)| n == "query") {
            reply_to_of_old_calls(q);
        }
        return;
    }
    if o.get("reply_to").is_some() {
        return;
    }
    let Some(id) = o.get("reply_to_msg_id").cloned() else {
        return;
    };
    let mut fields = vec![("reply_to_msg_id".to_owned(), id)];
    if let Some(top) = o.get("top_msg_id").cloned() {
        fields.push(("top_msg_id".to_owned(), top));
    }
    o.fields.push((
        "reply_to".to_owned(),
        Value::Object(value::Object {
            name: "inputReplyToMessage".to_owned(),
            fields,
        }),
    ));
}

/// The answer to `method` (current layer) as a client on `to` reads it.
pub fn answer_to(to: &Schema, method: &str, body: &[u8]) -> Result<Vec<u8>, Error> {
    let ty = &current()
        .function_named(method)
        .ok_or_else(|| Error::UnknownMethod(method.to_owned()))?
        .ty;
    let target = to.function_named(method).map_or(ty, |f| &f.ty);
    if method == "users.getFullUser" && *target == Ty::Boxed("UserFull".to_owned()) {
        let v = user_full_before_134(value::read(current(), ty, body)?);
        return write_in(to, ty, target, &v);
    }
    convert(to, ty, target, body)
}

/// The one reshaped answer the name rule cannot carry: up to layer 133
/// (Telethon 1.24) `users.getFullUser` returns a bare `UserFull` whose
/// `userFull` holds the `user:User` itself; later layers wrap it as
/// `users.userFull full_user:UserFull chats users`. The old form is the
/// inner `userFull` with its user (the one in `users` with its `id`) added.
fn user_full_before_134(v: Value) -> Value {
    let Value::Object(outer) = &v else { return v };
    let (Some(Value::Object(full)), Some(Value::Vector(users))) =
        (outer.get("full_user"), outer.get("users"))
    else {
        return v;
    };
    let user = users.iter().find(|u| match (u, full.get("id")) {
        (Value::Object(u), Some(id)) => u.get("id") == Some(id),
        _ => false,
    });
    let Some(user) = user.cloned() else { return v };
    let mut full = full.clone();
    full.fields.push(("user".to_owned(), user));
    Value::Object(full)
}

/// A pushed `Updates` object as a client on `to` reads it; `None` when it
/// has no form there (an update that did not exist then is not sent).
pub fn updates_to(to: &Schema, body: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let ty = Ty::Boxed("Updates".to_owned());
    match convert(to, &ty, &ty, body) {
        Ok(b) => Ok(Some(b)),
        Err(Error::NoForm(..)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A pushed `Updates` body for a key whose client declared `layer`: as it
/// is on the current layer, else in the client's layer; `None` when it is
/// not to be sent (it has no form there, or is not a readable `Updates`).
pub fn push_body(layer: Option<i32>, body: Vec<u8>) -> Option<Vec<u8>> {
    let Some(old) = schema_for(layer) else {
        return Some(body);
    };
    updates_to(old, &body)
        .inspect_err(|e| tracing::warn!(layer = old.layer, "update not pushed: {e}"))
        .ok()
        .flatten()
}

fn convert(to: &Schema, from_ty: &Ty, to_ty: &Ty, body: &[u8]) -> Result<Vec<u8>, Error> {
    let v = value::read(current(), from_ty, body)?;
    write_in(to, from_ty, to_ty, &v)
}

/// `v` (read as `from_ty`) written as `to_ty` in `to`.
fn write_in(to: &Schema, from_ty: &Ty, to_ty: &Ty, v: &Value) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    write::write(to, to_ty, v, &mut out).map_err(|write::Missing(path)| {
        let name = match v {
            Value::Object(o) => o.name.clone(),
            _ => format!("{from_ty:?}"),
        };
        let within = path.iter().rev().cloned().collect::<Vec<_>>().join(" > ");
        Error::NoForm(format!("{name} ({within})"), to.layer)
    })?;
    Ok(out)
}

#[cfg(test)]
mod full_user_tests;
#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod tests;
