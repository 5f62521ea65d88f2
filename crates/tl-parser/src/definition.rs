use crate::{infer_id, ParseErrorKind, Type};

/// Which section a declaration appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Constructors (`---types---`, the default at the top of a file).
    Types,
    /// Functions (`---functions---`).
    Functions,
}

/// One combinator declaration, e.g.
/// `auth.sentCode#5e002502 flags:# type:auth.SentCodeType ... = auth.SentCode;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// Namespace parts of the combinator name (`["auth"]`).
    pub namespace: Vec<String>,
    /// Combinator name without namespace (`sentCode`).
    pub name: String,
    /// The constructor id: explicit, or inferred by [`infer_id`].
    pub id: u32,
    /// Whether the id was written as `#id` in the schema.
    pub explicit_id: bool,
    /// `{X:Type}` generic parameter names.
    pub generics: Vec<String>,
    pub params: Vec<Parameter>,
    /// The result type after `=`.
    pub ty: Type,
    pub category: Category,
    /// The line carried a `// special` comment: it needs hand-written code.
    pub special: bool,
    /// A built-in declaration such as `int ? = Int;` or
    /// `vector {t:Type} # [ t ] = Vector t;` whose right side is not a list of
    /// `name:Type` parameters. `params` is empty for these.
    pub builtin: bool,
    /// 1-based line of the declaration's start.
    pub line: usize,
}

impl Definition {
    /// Fully qualified name, e.g. `auth.sentCode`.
    pub fn full_name(&self) -> String {
        let mut out = String::new();
        for ns in &self.namespace {
            out.push_str(ns);
            out.push('.');
        }
        out.push_str(&self.name);
        out
    }

    /// Parses one declaration without its trailing `;`.
    pub(crate) fn parse(
        text: &str,
        category: Category,
        special: bool,
    ) -> Result<Self, ParseErrorKind> {
        let (left, right) = text.split_once('=').ok_or(ParseErrorKind::MissingEquals)?;
        let mut result_words = right.split_whitespace();
        let result_head = result_words
            .next()
            .ok_or(ParseErrorKind::MissingResultType)?;

        let mut words = left.split_whitespace();
        let head = words.next().ok_or(ParseErrorKind::MissingName)?;
        let (full_name, explicit) = match head.split_once('#') {
            Some((name, id)) => (name, Some(parse_id(id)?)),
            None => (head, None),
        };
        let mut namespace: Vec<String> = full_name.split('.').map(str::to_owned).collect();
        let name = namespace.pop().unwrap_or_default();
        if name.is_empty() || namespace.iter().any(String::is_empty) {
            return Err(ParseErrorKind::MissingName);
        }

        let rest: Vec<&str> = words.collect();
        let mut generics = Vec::new();
        let mut params = Vec::new();
        let builtin = rest.iter().any(|w| {
            matches!(*w, "?" | "[" | "]") || w.contains('[') || (*w == "#" && rest.len() > 1)
        });
        for word in &rest {
            if let Some(inner) = word.strip_prefix('{') {
                let inner = inner
                    .strip_suffix('}')
                    .ok_or_else(|| ParseErrorKind::BadGeneric((*word).to_owned()))?;
                match inner.split_once(':') {
                    Some((g, "Type")) if !g.is_empty() => generics.push(g.to_owned()),
                    _ => return Err(ParseErrorKind::BadGeneric((*word).to_owned())),
                }
            } else if !builtin {
                params.push(Parameter::parse(word, &generics, &params)?);
            }
        }

        let ty = if builtin {
            // `Vector t`: the argument is a generic name written after a space.
            let arg = result_words
                .next()
                .map(|a| Type::parse(a, &generics).map(Box::new))
                .transpose()?;
            Type {
                generic_arg: arg,
                ..Type::parse(result_head, &generics)?
            }
        } else {
            if let Some(extra) = result_words.next() {
                return Err(ParseErrorKind::BadType(format!("{result_head} {extra}")));
            }
            Type::parse(result_head, &generics)?
        };

        Ok(Definition {
            namespace,
            name,
            id: explicit.unwrap_or_else(|| infer_id(text)),
            explicit_id: explicit.is_some(),
            generics,
            params,
            ty,
            category,
            special,
            builtin,
            line: 0,
        })
    }
}

fn parse_id(id: &str) -> Result<u32, ParseErrorKind> {
    if id.is_empty() || id.len() > 8 {
        return Err(ParseErrorKind::BadId(id.to_owned()));
    }
    u32::from_str_radix(id, 16).map_err(|_| ParseErrorKind::BadId(id.to_owned()))
}

/// A `name:Type` parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: ParameterType,
}

/// What a parameter holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ParameterType {
    /// `flags:#`: a 32-bit word of presence bits for later fields.
    Flags,
    /// An ordinary field, present only when `flag` (if any) is set.
    Normal { ty: Type, flag: Option<Flag> },
}

/// The `flags.N` in `name:flags.N?Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Name of the `#` field holding the bit (`flags`, `flags2`).
    pub name: String,
    /// Bit index, 0..32.
    pub index: u32,
}

impl Parameter {
    fn parse(
        word: &str,
        generics: &[String],
        earlier: &[Parameter],
    ) -> Result<Self, ParseErrorKind> {
        let bad = || ParseErrorKind::BadParameter(word.to_owned());
        let (name, ty) = word.split_once(':').ok_or_else(bad)?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad());
        }
        if ty == "#" {
            return Ok(Parameter {
                name: name.to_owned(),
                ty: ParameterType::Flags,
            });
        }
        let (flag, ty) = match ty.split_once('?') {
            Some((cond, ty)) => {
                let bad_flag = || ParseErrorKind::BadFlag(word.to_owned());
                let (field, bit) = cond.split_once('.').ok_or_else(bad_flag)?;
                let index: u32 = bit.parse().map_err(|_| bad_flag())?;
                if index >= 32 {
                    return Err(bad_flag());
                }
                let known = earlier
                    .iter()
                    .any(|p| p.name == field && p.ty == ParameterType::Flags);
                if !known {
                    return Err(ParseErrorKind::UnknownFlagsField {
                        param: name.to_owned(),
                        field: field.to_owned(),
                    });
                }
                (
                    Some(Flag {
                        name: field.to_owned(),
                        index,
                    }),
                    ty,
                )
            }
            None => (None, ty),
        };
        Ok(Parameter {
            name: name.to_owned(),
            ty: ParameterType::Normal {
                ty: Type::parse(ty, generics)?,
                flag,
            },
        })
    }
}
