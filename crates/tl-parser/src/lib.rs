//! Parser for TL schema files (core.telegram.org/mtproto/TL).
//!
//! [`parse`] turns the text of a `.tl` file into a [`Schema`]: every
//! combinator declaration with its constructor id (explicit `#id`, or the
//! CRC32 the spec defines when absent), its parameters, its result type, the
//! section it appears in (`---types---` / `---functions---`), and whether the
//! line carries a `// special` marker. The `// LAYER N` comment sets
//! [`Schema::layer`].
//!
//! The parser knows nothing of Rust: code generation lives in `hearth-tl-gen`.

mod definition;
mod error;
mod id;
mod ty;

pub use definition::{Category, Definition, Flag, Parameter, ParameterType};
pub use error::{ParseError, ParseErrorKind};
pub use id::infer_id;
pub use ty::Type;

/// A parsed schema file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Every declaration in file order, including built-in ones
    /// (`int ? = Int;`, `vector {t:Type} # [ t ] = Vector t;`).
    pub definitions: Vec<Definition>,
    /// The number from a `// LAYER N` comment, if the file has one.
    pub layer: Option<i32>,
}

/// Parses the full text of a `.tl` file.
///
/// Declarations may span several lines; each ends with `;`. Comments run from
/// `//` to the end of the line. A declaration whose line ends with the comment
/// `// special` gets [`Definition::special`] set.
pub fn parse(text: &str) -> Result<Schema, ParseError> {
    let mut schema = Schema::default();
    let mut category = Category::Types;
    // Pending text of a declaration spanning several lines, with its first line.
    let mut pending = String::new();
    let mut pending_line = 0usize;

    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let (code, comment) = match raw_line.find("//") {
            Some(pos) => (&raw_line[..pos], Some(raw_line[pos + 2..].trim())),
            None => (raw_line, None),
        };
        if let Some(comment) = comment {
            if let Some(rest) = comment.strip_prefix("LAYER") {
                let rest = rest.trim();
                if !rest.is_empty() && pending.is_empty() && code.trim().is_empty() {
                    let layer = rest.parse::<i32>().map_err(|_| {
                        ParseError::new(line_no, ParseErrorKind::BadLayer(rest.to_owned()))
                    })?;
                    schema.layer = Some(layer);
                    continue;
                }
            }
        }
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        if pending.is_empty() {
            match code {
                "---types---" => {
                    category = Category::Types;
                    continue;
                }
                "---functions---" => {
                    category = Category::Functions;
                    continue;
                }
                _ if code.starts_with("---") => {
                    return Err(ParseError::new(
                        line_no,
                        ParseErrorKind::UnknownSection(code.to_owned()),
                    ));
                }
                _ => pending_line = line_no,
            }
        } else {
            pending.push(' ');
        }
        pending.push_str(code);
        if let Some(body) = pending.strip_suffix(';') {
            let special = comment == Some("special");
            let def = Definition::parse(body, category, special)
                .map_err(|kind| ParseError::new(pending_line, kind))?;
            schema.definitions.push(Definition {
                line: pending_line,
                ..def
            });
            pending.clear();
        } else if pending.contains(';') {
            return Err(ParseError::new(
                pending_line,
                ParseErrorKind::TrailingText(pending.clone()),
            ));
        }
    }
    if !pending.is_empty() {
        return Err(ParseError::new(
            pending_line,
            ParseErrorKind::MissingSemicolon,
        ));
    }
    Ok(schema)
}

#[cfg(test)]
mod tests;
