use crate::ParseErrorKind;
use std::fmt;

/// A type reference in a parameter or result position.
///
/// `%Message`, `int` and `vector<long>` are bare (no constructor id on the
/// wire); `Message` and `Vector<long>` are boxed
/// (core.telegram.org/mtproto/serialize, "Boxed and bare types").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Type {
    /// Namespace parts, e.g. `["auth"]` for `auth.SentCode`.
    pub namespace: Vec<String>,
    /// Name without namespace or `%`.
    pub name: String,
    /// Bare: written with `%` or starting with a lowercase letter.
    pub bare: bool,
    /// `!X` or `X` where `X` is a `{X:Type}` parameter of the declaration.
    pub generic_ref: bool,
    /// The argument of a generic type: `long` in `Vector<long>`.
    pub generic_arg: Option<Box<Type>>,
}

impl Type {
    /// Parses a type such as `Vector<%Message>` or `!X`; `generics` are the
    /// declaration's `{X:Type}` names.
    pub(crate) fn parse(text: &str, generics: &[String]) -> Result<Self, ParseErrorKind> {
        let bad = || ParseErrorKind::BadType(text.to_owned());
        let (text, bang) = match text.strip_prefix('!') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let (head, generic_arg) = match text.split_once('<') {
            Some((head, rest)) => {
                let inner = rest.strip_suffix('>').ok_or_else(bad)?;
                (head, Some(Box::new(Type::parse(inner, generics)?)))
            }
            None => (text, None),
        };
        let (head, percent) = match head.strip_prefix('%') {
            Some(rest) => (rest, true),
            None => (head, false),
        };
        let mut parts: Vec<String> = head.split('.').map(str::to_owned).collect();
        let name = parts.pop().ok_or_else(bad)?;
        let valid =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid(&name) || !parts.iter().all(|p| valid(p)) {
            return Err(bad());
        }
        let generic_ref = generics.contains(&name) && parts.is_empty();
        if bang && !generic_ref {
            return Err(bad());
        }
        let bare = percent || name.starts_with(|c: char| c.is_ascii_lowercase());
        Ok(Type {
            namespace: parts,
            name,
            bare,
            generic_ref,
            generic_arg,
        })
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.generic_ref {
            f.write_str("!")?;
        }
        for ns in &self.namespace {
            write!(f, "{ns}.")?;
        }
        f.write_str(&self.name)?;
        if let Some(arg) = &self.generic_arg {
            write!(f, "<{arg}>")?;
        }
        Ok(())
    }
}
