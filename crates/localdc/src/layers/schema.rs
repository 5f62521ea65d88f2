//! One layer's API schema as the transcoder reads it: constructors and
//! functions by id and by name, the constructors of each boxed type, and
//! every parameter's type reduced to what its wire form needs
//! (core.telegram.org/mtproto/serialize).

use std::collections::HashMap;

use hearth_tl_parser::{Category, ParameterType, Type};

/// What a field's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Int,
    Long,
    Double,
    Int128,
    Int256,
    /// `string` and `bytes` (one wire form).
    Bytes,
    /// A bit of a flags field, no bytes of its own.
    True,
    /// `Vector<T>`: the vector constructor id, a count, bare-or-boxed elements.
    Vector(Box<Ty>),
    /// `vector<T>`: a count and the elements.
    BareVector(Box<Ty>),
    /// A boxed type by full name (`Update`, `messages.Messages`): an id first.
    Boxed(String),
    /// A bare constructor (or a type with one constructor) by full name.
    Bare(String),
    /// `!X`: a nested function call (`invokeWithLayer`'s `query`).
    Query,
}

impl Ty {
    pub fn of(t: &Type) -> Ty {
        if t.generic_ref {
            return Ty::Query;
        }
        let full = full_name(&t.namespace, &t.name);
        let inner = || Box::new(t.generic_arg.as_deref().map_or(Ty::Int, Ty::of));
        match full.as_str() {
            "int" | "Int" => Ty::Int,
            "long" | "Long" => Ty::Long,
            "double" | "Double" => Ty::Double,
            "int128" => Ty::Int128,
            "int256" => Ty::Int256,
            "string" | "bytes" => Ty::Bytes,
            "true" => Ty::True,
            "Vector" => Ty::Vector(inner()),
            "vector" => Ty::BareVector(inner()),
            _ if t.bare => Ty::Bare(full),
            _ => Ty::Boxed(full),
        }
    }
}

/// A parameter: a flags word, or a field (maybe behind a bit of one).
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    /// `None` for a flags word.
    pub ty: Option<Ty>,
    /// The flags word (by name) and bit this field is present under.
    pub flag: Option<(String, u32)>,
}

/// A constructor or a function.
#[derive(Debug, Clone)]
pub struct Ctor {
    pub id: u32,
    pub name: String,
    /// The type it builds (a function: its result type).
    pub ty: Ty,
    pub params: Vec<Param>,
}

/// One layer's schema.
#[derive(Debug, Default)]
pub struct Schema {
    pub layer: i32,
    ctors: HashMap<u32, Ctor>,
    functions: HashMap<u32, Ctor>,
    ctor_by_name: HashMap<String, u32>,
    function_by_name: HashMap<String, u32>,
    by_type: HashMap<String, Vec<u32>>,
}

fn full_name(namespace: &[String], name: &str) -> String {
    let mut out = namespace.join(".");
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(name);
    out
}

impl Schema {
    /// Reads a schema text; `layer` names it when the text has no
    /// `// LAYER` line.
    pub fn parse(text: &str, layer: i32) -> Result<Schema, hearth_tl_parser::ParseError> {
        let parsed = hearth_tl_parser::parse(text)?;
        let mut s = Schema {
            layer: parsed.layer.unwrap_or(layer),
            ..Schema::default()
        };
        for d in parsed.definitions.iter().filter(|d| !d.builtin) {
            let params = d
                .params
                .iter()
                .map(|p| match &p.ty {
                    ParameterType::Flags => Param {
                        name: p.name.clone(),
                        ty: None,
                        flag: None,
                    },
                    ParameterType::Normal { ty, flag } => Param {
                        name: p.name.clone(),
                        ty: Some(Ty::of(ty)),
                        flag: flag.as_ref().map(|f| (f.name.clone(), f.index)),
                    },
                })
                .collect();
            let ctor = Ctor {
                id: d.id,
                name: d.full_name(),
                ty: Ty::of(&d.ty),
                params,
            };
            match d.category {
                Category::Types => {
                    if let Ty::Boxed(t) = &ctor.ty {
                        s.by_type.entry(t.clone()).or_default().push(d.id);
                    }
                    s.ctor_by_name.insert(ctor.name.clone(), d.id);
                    s.ctors.insert(d.id, ctor);
                }
                Category::Functions => {
                    s.function_by_name.insert(ctor.name.clone(), d.id);
                    s.functions.insert(d.id, ctor);
                }
            }
        }
        // Pyrogram's schemas leave out `Bool`, which its compiler builds in;
        // the ids are the spec's (core.telegram.org/mtproto/serialize).
        for (id, name) in [(0xbc79_9737, "boolFalse"), (0x9972_75b5, "boolTrue")] {
            if s.ctor_named(name).is_none() {
                s.add_builtin(id, name, "Bool");
            }
        }
        Ok(s)
    }

    fn add_builtin(&mut self, id: u32, name: &str, ty: &str) {
        let ctor = Ctor {
            id,
            name: name.to_owned(),
            ty: Ty::Boxed(ty.to_owned()),
            params: Vec::new(),
        };
        self.by_type.entry(ty.to_owned()).or_default().push(id);
        self.ctor_by_name.insert(name.to_owned(), id);
        self.ctors.insert(id, ctor);
    }

    pub fn ctor(&self, id: u32) -> Option<&Ctor> {
        self.ctors.get(&id)
    }

    pub fn function(&self, id: u32) -> Option<&Ctor> {
        self.functions.get(&id)
    }

    pub fn ctor_named(&self, name: &str) -> Option<&Ctor> {
        self.ctor_by_name
            .get(name)
            .and_then(|id| self.ctors.get(id))
    }

    pub fn function_named(&self, name: &str) -> Option<&Ctor> {
        self.function_by_name
            .get(name)
            .and_then(|id| self.functions.get(id))
    }

    /// The constructors of a boxed type, in schema order.
    pub fn ctors_of(&self, ty: &str) -> impl Iterator<Item = &Ctor> {
        self.by_type
            .get(ty)
            .into_iter()
            .flatten()
            .filter_map(|id| self.ctors.get(id))
    }

    /// The bare constructor a `Ty::Bare` names: by its own name, or the one
    /// constructor of the type (`%DcOption`).
    pub fn bare(&self, name: &str) -> Option<&Ctor> {
        self.ctor_named(name).or_else(|| {
            let mut all = self.ctors_of(name);
            match (all.next(), all.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
    }
}
