//! A read [`Value`] written with another layer's schema: each object with
//! the constructor of the same name in that layer, its fields matched by
//! name, flags recomputed, fields the constructor lacks dropped.
//!
//! When the layer has no constructor of that name (a type added later):
//! * a boxed value becomes the type's `…Unsupported` (else `…Empty`) form, as
//!   Telegram gives old clients (`messageMediaUnsupported`,
//!   `messageActionEmpty`, `userEmpty`), with the fields it shares;
//! * failing that, it is [`Missing`]: an element of a vector is left out
//!   (an update an old client cannot know is not sent, as Telegram does),
//!   an optional field is left unset, a required field is filled as below.
//!
//! An `InputPeer` form where an `InputUser` or `InputChannel` is expected is
//! written as the matching form of that type ([`input_alias`]): Telegram's
//! server reads them so, and Pyrogram and its forks rely on it (their
//! `get_chat` sends `users.getFullUser(id=inputPeerUser)` and
//! `channels.getFullChannel(channel=inputPeerChannel)`).
//!
//! A required field the source lacks gets a neutral value: 0, an empty
//! string or vector, `boolFalse`, or the type's `…Empty` form (with neutral
//! fields); a required value that has no form makes its parent missing. Integers of another width are converted
//! (`int` ↔ `long`) and anything else of another shape is missing.

use super::schema::{Ctor, Param, Schema, Ty};
use super::value::{Object, Value, MAX_DEPTH, VECTOR_ID};

/// A value that has no form in the target layer; names the required field
/// (`constructor.field`, innermost first) that made it so, if one did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Missing(pub Vec<String>);

/// Writes `v` as `ty` in `schema` onto `out`; on [`Missing`] nothing of it
/// stays in `out`.
pub fn write(schema: &Schema, ty: &Ty, v: &Value, out: &mut Vec<u8>) -> Result<(), Missing> {
    let start = out.len();
    let r = Writer { schema }.value(ty, v, out, 0);
    if r.is_err() {
        out.truncate(start);
    }
    r
}

struct Writer<'a> {
    schema: &'a Schema,
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    if b.len() < 254 {
        out.push(b.len() as u8);
    } else {
        out.push(254);
        out.extend_from_slice(&(b.len() as u32).to_le_bytes()[..3]);
    }
    out.extend_from_slice(b);
    let head = if b.len() < 254 { 1 } else { 4 };
    out.resize(out.len() + (4 - (head + b.len()) % 4) % 4, 0);
}

impl Writer<'_> {
    fn value(&self, ty: &Ty, v: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), Missing> {
        if depth > MAX_DEPTH {
            return Err(Missing::default());
        }
        match (ty, v) {
            (Ty::Int, Value::Int(i)) => out.extend_from_slice(&i.to_le_bytes()),
            (Ty::Int, Value::Long(l)) => out.extend_from_slice(&(*l as i32).to_le_bytes()),
            (Ty::Long, Value::Long(l)) => out.extend_from_slice(&l.to_le_bytes()),
            (Ty::Long, Value::Int(i)) => out.extend_from_slice(&i64::from(*i).to_le_bytes()),
            (Ty::Double, Value::Double(d)) => out.extend_from_slice(&d.to_le_bytes()),
            (Ty::Int128, Value::Int128(b)) => out.extend_from_slice(b),
            (Ty::Int256, Value::Int256(b)) => out.extend_from_slice(b),
            (Ty::Bytes, Value::Bytes(b)) => put_bytes(out, b),
            (Ty::True, Value::True) => {}
            (Ty::Vector(inner), Value::Vector(items)) => {
                out.extend_from_slice(&VECTOR_ID.to_le_bytes());
                self.elements(inner, items, out, depth)?;
            }
            (Ty::BareVector(inner), Value::Vector(items)) => {
                self.elements(inner, items, out, depth)?
            }
            (Ty::Boxed(t), Value::Object(o)) => {
                let ctor = self.boxed_ctor(t, o).ok_or_else(Missing::default)?;
                out.extend_from_slice(&ctor.id.to_le_bytes());
                self.fields(ctor, o, out, depth)?;
            }
            (Ty::Bare(name), Value::Object(o)) => {
                let ctor = self.schema.bare(name).ok_or_else(Missing::default)?;
                self.fields(ctor, o, out, depth)?;
            }
            (Ty::Query, Value::Object(o)) => {
                let f = self
                    .schema
                    .function_named(&o.name)
                    .ok_or_else(Missing::default)?;
                out.extend_from_slice(&f.id.to_le_bytes());
                self.fields(f, o, out, depth)?;
            }
            _ => return Err(Missing::default()),
        }
        Ok(())
    }

    /// The constructor `o` is written with as a `t`: its own name, else the
    /// type's substitute (see the module docs).
    fn boxed_ctor(&self, t: &str, o: &Object) -> Option<&Ctor> {
        if let Some(c) = self.schema.ctor_named(&o.name) {
            let alias = match &c.ty {
                Ty::Boxed(own) if own != t => input_alias(t, &o.name),
                _ => None,
            };
            return Some(alias.and_then(|a| self.schema.ctor_named(a)).unwrap_or(c));
        }
        let mut forms = self.schema.ctors_of(t);
        let unsupported = self
            .schema
            .ctors_of(t)
            .find(|c| c.name.ends_with("Unsupported"));
        unsupported.or_else(|| forms.find(|c| c.name.ends_with("Empty")))
    }

    fn elements(
        &self,
        inner: &Ty,
        items: &[Value],
        out: &mut Vec<u8>,
        depth: usize,
    ) -> Result<(), Missing> {
        let at = out.len();
        out.extend_from_slice(&[0; 4]);
        let mut count = 0u32;
        for item in items {
            let mark = out.len();
            match self.value(inner, item, out, depth + 1) {
                Ok(()) => count += 1,
                Err(_) => out.truncate(mark),
            }
        }
        out[at..at + 4].copy_from_slice(&count.to_le_bytes());
        Ok(())
    }

    fn fields(
        &self,
        ctor: &Ctor,
        o: &Object,
        out: &mut Vec<u8>,
        depth: usize,
    ) -> Result<(), Missing> {
        // Each flags word's offset in `out` and value, patched at the end.
        let mut words: Vec<(&str, usize, u32)> = Vec::new();
        for p in &ctor.params {
            let Some(ty) = &p.ty else {
                words.push((&p.name, out.len(), 0));
                out.extend_from_slice(&[0; 4]);
                continue;
            };
            let source = o.get(&p.name);
            match &p.flag {
                Some((word, bit)) => {
                    let Some(v) = source else { continue };
                    let mark = out.len();
                    if self.value(ty, v, out, depth + 1).is_err() {
                        out.truncate(mark);
                        continue;
                    }
                    if let Some(w) = words.iter_mut().find(|(n, _, _)| n == word) {
                        w.2 |= 1u32.checked_shl(*bit).unwrap_or(0);
                    }
                }
                // A required value that has no form here takes its parent
                // with it; only a value the source lacks is made up.
                None => match source {
                    Some(v) => self.value(ty, v, out, depth + 1),
                    None => self.neutral(p, ty, out, depth + 1),
                }
                .map_err(|Missing(mut path)| {
                    path.push(format!("{}.{}", ctor.name, p.name));
                    Missing(path)
                })?,
            }
        }
        for (_, at, v) in words {
            out[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
        Ok(())
    }

    /// A required field the source has no value for (see the module docs).
    fn neutral(&self, p: &Param, ty: &Ty, out: &mut Vec<u8>, depth: usize) -> Result<(), Missing> {
        if depth > MAX_DEPTH {
            return Err(Missing::default());
        }
        tracing::trace!(field = %p.name, "neutral value for a field the source lacks");
        match ty {
            Ty::Int => out.extend_from_slice(&[0; 4]),
            Ty::Long | Ty::Double => out.extend_from_slice(&[0; 8]),
            Ty::Int128 => out.extend_from_slice(&[0; 16]),
            Ty::Int256 => out.extend_from_slice(&[0; 32]),
            Ty::Bytes => out.extend_from_slice(&[0; 4]),
            Ty::True => {}
            Ty::Vector(_) => {
                out.extend_from_slice(&VECTOR_ID.to_le_bytes());
                out.extend_from_slice(&[0; 4]);
            }
            Ty::BareVector(_) => out.extend_from_slice(&[0; 4]),
            Ty::Boxed(t) => {
                let empty = Object {
                    name: String::new(),
                    fields: Vec::new(),
                };
                let ctor = if t == "Bool" {
                    self.schema.ctor_named("boolFalse")
                } else {
                    self.schema.ctors_of(t).find(|c| c.name.ends_with("Empty"))
                };
                let ctor = ctor.ok_or_else(Missing::default)?;
                out.extend_from_slice(&ctor.id.to_le_bytes());
                self.fields(ctor, &empty, out, depth)?;
            }
            Ty::Bare(_) | Ty::Query => return Err(Missing::default()),
        }
        Ok(())
    }
}

/// The `InputUser` or `InputChannel` form (type `t`) of the `InputPeer`
/// constructor `name`, with the same fields. Hand-written: the schema does not
/// say which forms Telegram's server accepts in each other's place.
pub fn input_alias(t: &str, name: &str) -> Option<&'static str> {
    Some(match (t, name) {
        ("InputUser", "inputPeerUser") => "inputUser",
        ("InputUser", "inputPeerSelf") => "inputUserSelf",
        ("InputUser", "inputPeerEmpty") => "inputUserEmpty",
        ("InputUser", "inputPeerUserFromMessage") => "inputUserFromMessage",
        ("InputChannel", "inputPeerChannel") => "inputChannel",
        ("InputChannel", "inputPeerEmpty") => "inputChannelEmpty",
        ("InputChannel", "inputPeerChannelFromMessage") => "inputChannelFromMessage",
        _ => return None,
    })
}
