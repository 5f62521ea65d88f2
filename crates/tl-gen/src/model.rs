//! What gets generated: constructors grouped by boxed type, functions, and
//! the Rust type of every field, including which fields need a `Box`.

use crate::names::{module_path, type_name};
use crate::{Config, GenError};
use hearth_tl_parser::{Category, Definition, ParameterType, Schema, Type};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The Rust side of a TL type reference.
#[derive(Debug, Clone, PartialEq)]
pub enum RType {
    /// A primitive with a runtime impl: `i32`, `i64`, `f64`, `[u8; 16]`,
    /// `[u8; 32]`, `::std::vec::Vec<u8>`, `::std::string::String`, `bool`.
    Prim(&'static str),
    /// `true`: a `bool` taking no bytes.
    True,
    /// `Vector<T>` (boxed) or `vector<T>` (bare).
    Vec { bare: bool, inner: Box<RType> },
    /// A generated boxed enum or a hand-written type: (Rust path, TL type name).
    Boxed { path: String, tl: String },
    /// A bare constructor (`%Foo` or `foo`): (Rust path of the struct, TL type name).
    Bare { path: String, tl: String },
    /// A `{X:Type}` parameter.
    Generic(String),
}

impl RType {
    pub fn rust(&self) -> String {
        match self {
            RType::Prim(p) => (*p).to_owned(),
            RType::True => "bool".to_owned(),
            RType::Vec { inner, .. } => format!("::std::vec::Vec<{}>", inner.rust()),
            RType::Boxed { path, .. } | RType::Bare { path, .. } => path.clone(),
            RType::Generic(name) => name.clone(),
        }
    }

    /// The TL type this value contains directly (not through a vector).
    fn direct(&self) -> Option<&str> {
        match self {
            RType::Boxed { tl, .. } | RType::Bare { tl, .. } => Some(tl),
            _ => None,
        }
    }

    /// Every TL type this value contains, through vectors too.
    fn reachable(&self) -> Option<&str> {
        match self {
            RType::Vec { inner, .. } => inner.reachable(),
            other => other.direct(),
        }
    }
}

/// Fully qualified TL name of a type reference (`auth.SentCode`).
pub fn tl_type_name(ty: &Type) -> String {
    let mut s = ty.namespace.join(".");
    if !s.is_empty() {
        s.push('.');
    }
    s.push_str(&ty.name);
    s
}

pub struct Model<'a> {
    /// Boxed TL type name -> its generated constructors, in schema order.
    pub types: BTreeMap<String, Vec<&'a Definition>>,
    pub functions: Vec<&'a Definition>,
    /// Resolved field types per definition (by line) and parameter name.
    pub fields: HashMap<(usize, String), RType>,
    /// Function return types by line.
    pub returns: HashMap<usize, RType>,
    /// Fields stored as `Box<T>` because `T` can contain the struct again.
    pub boxed: HashSet<(usize, String)>,
    /// Boxed types that can contain themselves: their decoders count depth.
    pub recursive: HashSet<String>,
}

const BYTES: &str = "::std::vec::Vec<u8>";
const STRING: &str = "::std::string::String";

/// TL types that map to Rust primitives instead of generated enums.
const PRIMITIVE_TYPES: &[&str] = &["Bool", "True", "Vector"];

impl<'a> Model<'a> {
    pub fn new(schema: &'a Schema, config: &Config) -> Result<Self, GenError> {
        let generated = |d: &&Definition| {
            let primitive = d.category == Category::Types
                && d.ty.namespace.is_empty()
                && PRIMITIVE_TYPES.contains(&d.ty.name.as_str());
            !d.builtin && !d.special && !primitive
        };
        let mut types: BTreeMap<String, Vec<&Definition>> = BTreeMap::new();
        let mut functions = Vec::new();
        for def in schema.definitions.iter().filter(generated) {
            match def.category {
                Category::Types => types.entry(tl_type_name(&def.ty)).or_default().push(def),
                Category::Functions => functions.push(def),
            }
        }
        let externs: HashMap<&str, &str> = config
            .extern_types
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let ctor_by_name: HashMap<String, &Definition> = types
            .values()
            .flatten()
            .map(|d| (d.full_name(), *d))
            .collect();
        let resolver = Resolver {
            config,
            types: &types,
            externs,
            ctor_by_name,
        };

        let mut fields = HashMap::new();
        let mut returns = HashMap::new();
        for def in types.values().flatten().chain(functions.iter()) {
            for param in &def.params {
                if let ParameterType::Normal { ty, .. } = &param.ty {
                    let mut rt = resolver.resolve(ty, def.line)?;
                    if rt == RType::Prim(STRING) && resolver.carries_bytes(def, &param.name) {
                        rt = RType::Prim(BYTES);
                    }
                    fields.insert((def.line, param.name.clone()), rt);
                }
            }
            if def.category == Category::Functions {
                returns.insert(def.line, resolver.resolve(&def.ty, def.line)?);
            }
        }

        // Containment graph between boxed types, directly and through vectors.
        let mut direct: HashMap<String, HashSet<String>> = HashMap::new();
        let mut any: HashMap<String, HashSet<String>> = HashMap::new();
        for (name, ctors) in &types {
            for def in ctors {
                for param in &def.params {
                    if let Some(rt) = fields.get(&(def.line, param.name.clone())) {
                        if let Some(t) = rt.direct() {
                            direct.entry(name.clone()).or_default().insert(t.to_owned());
                        }
                        if let Some(t) = rt.reachable() {
                            any.entry(name.clone()).or_default().insert(t.to_owned());
                        }
                    }
                }
            }
        }
        let direct = closure(&direct);
        let any = closure(&any);

        let mut boxed = HashSet::new();
        for (name, ctors) in &types {
            for def in ctors {
                for param in &def.params {
                    let key = (def.line, param.name.clone());
                    let target = fields.get(&key).and_then(RType::direct);
                    if let Some(target) = target {
                        let cycles =
                            target == name || direct.get(target).is_some_and(|r| r.contains(name));
                        if cycles {
                            boxed.insert(key);
                        }
                    }
                }
            }
        }
        let mut sizes = Sizes {
            types: &types,
            fields: &fields,
            boxed: &mut boxed,
            memo: HashMap::new(),
        };
        for name in types.keys() {
            sizes.enum_size(name);
        }
        let recursive = types
            .keys()
            .filter(|t| any.get(*t).is_some_and(|r| r.contains(*t)))
            .cloned()
            .collect();

        Ok(Model {
            types,
            functions,
            fields,
            returns,
            boxed,
            recursive,
        })
    }
}

/// Fields whose type is estimated to take more than this many bytes inline
/// are boxed, so that values such as `Message` (with optional media, reply
/// headers, forward headers inline) stay small and cheap to move.
pub const BOX_THRESHOLD: usize = 192;

/// Rough inline sizes of generated types (alignment ignored), used only to
/// decide which fields to box.
struct Sizes<'m, 'a> {
    types: &'m BTreeMap<String, Vec<&'a Definition>>,
    fields: &'m HashMap<(usize, String), RType>,
    boxed: &'m mut HashSet<(usize, String)>,
    memo: HashMap<String, usize>,
}

impl Sizes<'_, '_> {
    fn enum_size(&mut self, name: &str) -> usize {
        if let Some(size) = self.memo.get(name) {
            return *size;
        }
        let types = self.types;
        let mut largest = 0;
        for def in types.get(name).map(Vec::as_slice).unwrap_or_default() {
            let mut size = 0;
            for param in &def.params {
                let key = (def.line, param.name.clone());
                let flagged = matches!(&param.ty, ParameterType::Normal { flag: Some(_), .. });
                size += self.field_size(key, flagged);
            }
            largest = largest.max(size);
        }
        let size = largest + 8;
        self.memo.insert(name.to_owned(), size);
        size
    }

    fn field_size(&mut self, key: (usize, String), flagged: bool) -> usize {
        if self.boxed.contains(&key) {
            return 8;
        }
        let Some(rt) = self.fields.get(&key) else {
            return 4;
        };
        let option = if flagged { 8 } else { 0 };
        match rt {
            RType::Prim("[u8; 16]") => 16 + option,
            RType::Prim("[u8; 32]") => 32 + option,
            RType::Prim(p) if p.contains("Vec") || p.contains("String") => 24,
            RType::Prim(_) => 8 + option,
            RType::True => 1,
            RType::Vec { .. } => 24,
            RType::Generic(_) => 8,
            RType::Boxed { tl, .. } | RType::Bare { tl, .. } if self.types.contains_key(tl) => {
                let size = self.enum_size(tl);
                if size > BOX_THRESHOLD {
                    self.boxed.insert(key);
                    8
                } else {
                    size + option
                }
            }
            RType::Boxed { .. } | RType::Bare { .. } => 64 + option,
        }
    }
}

/// Transitive closure of a graph given as adjacency sets.
fn closure(graph: &HashMap<String, HashSet<String>>) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for start in graph.keys() {
        let mut seen: HashSet<String> = HashSet::new();
        let mut stack: Vec<&String> = graph[start].iter().collect();
        while let Some(node) = stack.pop() {
            if seen.insert(node.clone()) {
                if let Some(next) = graph.get(node) {
                    stack.extend(next.iter());
                }
            }
        }
        out.insert(start.clone(), seen);
    }
    out
}

struct Resolver<'a, 'b> {
    config: &'b Config,
    types: &'b BTreeMap<String, Vec<&'a Definition>>,
    externs: HashMap<&'b str, &'b str>,
    ctor_by_name: HashMap<String, &'a Definition>,
}

impl Resolver<'_, '_> {
    /// Whether `field` of `def` is a `string` listed in
    /// [`Config::byte_strings`].
    fn carries_bytes(&self, def: &Definition, field: &str) -> bool {
        let name = def.full_name();
        self.config
            .byte_strings
            .iter()
            .any(|(ctor, f)| *ctor == name && f == field)
    }

    fn resolve(&self, ty: &Type, line: usize) -> Result<RType, GenError> {
        if ty.generic_ref {
            return Ok(RType::Generic(ty.name.clone()));
        }
        let unknown = || GenError::UnknownType {
            line,
            ty: ty.to_string(),
        };
        if ty.namespace.is_empty() {
            let prim = match ty.name.as_str() {
                "int" => Some("i32"),
                "long" => Some("i64"),
                "double" => Some("f64"),
                "int128" => Some("[u8; 16]"),
                "int256" => Some("[u8; 32]"),
                "bytes" => Some(BYTES),
                "string" => Some(STRING),
                "Bool" => Some("bool"),
                _ => None,
            };
            if let Some(prim) = prim {
                return Ok(RType::Prim(prim));
            }
            match ty.name.as_str() {
                "true" => return Ok(RType::True),
                "Vector" | "vector" => {
                    let arg = ty.generic_arg.as_deref().ok_or_else(unknown)?;
                    let inner = self.resolve(arg, line)?;
                    let bare = ty.name == "vector";
                    if bare && matches!(inner, RType::Bare { .. }) {
                        return Err(GenError::Unsupported {
                            line,
                            ty: ty.to_string(),
                        });
                    }
                    return Ok(RType::Vec {
                        bare,
                        inner: Box::new(inner),
                    });
                }
                _ => {}
            }
        }
        let full = tl_type_name(ty);
        if let Some(path) = self.externs.get(full.as_str()) {
            return Ok(RType::Boxed {
                path: (*path).to_owned(),
                tl: full,
            });
        }
        if ty.bare {
            // `%Foo`: the single constructor of type Foo; `foo`: constructor foo.
            let ctor = if ty.name.starts_with(|c: char| c.is_ascii_lowercase()) {
                self.ctor_by_name.get(&full).copied()
            } else {
                match self.types.get(&full).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    Some(_) => {
                        return Err(GenError::AmbiguousBare {
                            line,
                            ty: ty.to_string(),
                        })
                    }
                    None => None,
                }
            };
            let ctor = ctor.ok_or_else(unknown)?;
            return Ok(RType::Bare {
                path: format!(
                    "{}{}",
                    module_path(&self.config.root, "types", &ctor.namespace),
                    type_name(&ctor.name)
                ),
                tl: tl_type_name(&ctor.ty),
            });
        }
        if !self.types.contains_key(&full) {
            return Err(unknown());
        }
        Ok(RType::Boxed {
            path: format!(
                "{}{}",
                module_path(&self.config.root, "enums", &ty.namespace),
                type_name(&ty.name)
            ),
            tl: full,
        })
    }
}
