//! Serialized TL read into a tree with the names of one schema
//! (core.telegram.org/mtproto/serialize): boxed values name their
//! constructor by id, bare ones take it from the field's declared type.
//!
//! Invariants: reading never panics and never allocates past the input
//! (vectors reserve no more than the bytes left could hold); nesting is cut
//! at [`MAX_DEPTH`]; trailing bytes are an error.

use super::schema::{Ctor, Schema, Ty};
use super::Error;

/// Deeper nesting than any API object has; input nested deeper is refused.
pub const MAX_DEPTH: usize = 64;

/// The id of the boxed `vector` constructor.
pub const VECTOR_ID: u32 = 0x1cb5_c415;

/// One read value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i32),
    Long(i64),
    Double(f64),
    Int128([u8; 16]),
    Int256([u8; 32]),
    Bytes(Vec<u8>),
    /// A set `true` flag.
    True,
    Vector(Vec<Value>),
    Object(Object),
}

/// A constructor or function call with its fields by name (flags words are
/// not kept: the writer recomputes them).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub name: String,
    pub fields: Vec<(String, Value)>,
}

impl Object {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// Reads one whole value of type `ty`.
pub fn read(schema: &Schema, ty: &Ty, bytes: &[u8]) -> Result<Value, Error> {
    let mut r = Reader {
        schema,
        bytes,
        pos: 0,
    };
    let v = r.value(ty, 0)?;
    if r.pos != bytes.len() {
        return Err(Error::Malformed("trailing bytes"));
    }
    Ok(v)
}

struct Reader<'a> {
    schema: &'a Schema,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(Error::Malformed("truncated"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, Error> {
        let first = *self.take(1)?.first().unwrap_or(&0);
        let (len, head) = match first {
            254 => {
                let b = self.array::<3>()?;
                (u32::from_le_bytes([b[0], b[1], b[2], 0]) as usize, 4)
            }
            255 => return Err(Error::Malformed("0xff string length")),
            n => (n as usize, 1),
        };
        let out = self.take(len)?.to_vec();
        self.take((4 - (head + len) % 4) % 4)?;
        Ok(out)
    }

    fn value(&mut self, ty: &Ty, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::Malformed("nested too deep"));
        }
        Ok(match ty {
            Ty::Int => Value::Int(i32::from_le_bytes(self.array()?)),
            Ty::Long => Value::Long(i64::from_le_bytes(self.array()?)),
            Ty::Double => Value::Double(f64::from_le_bytes(self.array()?)),
            Ty::Int128 => Value::Int128(self.array()?),
            Ty::Int256 => Value::Int256(self.array()?),
            Ty::Bytes => Value::Bytes(self.bytes()?),
            Ty::True => Value::True,
            Ty::Vector(inner) => {
                if self.u32()? != VECTOR_ID {
                    return Err(Error::Malformed("expected a vector"));
                }
                self.elements(inner, depth)?
            }
            Ty::BareVector(inner) => self.elements(inner, depth)?,
            Ty::Boxed(_) => {
                let id = self.u32()?;
                let ctor = self.schema.ctor(id).ok_or(Error::UnknownId(id))?;
                Value::Object(self.fields(ctor, depth)?)
            }
            Ty::Bare(name) => {
                let schema = self.schema;
                let ctor = schema
                    .bare(name)
                    .ok_or(Error::Malformed("unknown bare type"))?;
                Value::Object(self.fields(ctor, depth)?)
            }
            Ty::Query => {
                let id = self.u32()?;
                let f = self.schema.function(id).ok_or(Error::UnknownId(id))?;
                Value::Object(self.fields(f, depth)?)
            }
        })
    }

    fn elements(&mut self, inner: &Ty, depth: usize) -> Result<Value, Error> {
        let count = self.u32()? as usize;
        // Every element but `true` takes 4 bytes at least.
        let room = (self.bytes.len() - self.pos) / 4;
        let mut items = Vec::with_capacity(count.min(room));
        for _ in 0..count {
            items.push(self.value(inner, depth + 1)?);
        }
        Ok(Value::Vector(items))
    }

    fn fields(&mut self, ctor: &Ctor, depth: usize) -> Result<Object, Error> {
        let mut flags: Vec<(&str, u32)> = Vec::new();
        let mut fields = Vec::with_capacity(ctor.params.len());
        for p in &ctor.params {
            let Some(ty) = &p.ty else {
                flags.push((&p.name, self.u32()?));
                continue;
            };
            if let Some((word, bit)) = &p.flag {
                let set = flags
                    .iter()
                    .find(|(n, _)| n == word)
                    .is_some_and(|(_, v)| v.checked_shr(*bit).is_some_and(|b| b & 1 == 1));
                if !set {
                    continue;
                }
            }
            fields.push((p.name.clone(), self.value(ty, depth + 1)?));
        }
        Ok(Object {
            name: ctor.name.clone(),
            fields,
        })
    }
}
