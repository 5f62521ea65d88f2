use thiserror::Error;

/// A schema that could not be parsed, with the 1-based line of the
/// declaration at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("TL schema line {line}: {kind}")]
pub struct ParseError {
    pub line: usize,
    pub kind: ParseErrorKind,
}

impl ParseError {
    pub(crate) fn new(line: usize, kind: ParseErrorKind) -> Self {
        Self { line, kind }
    }
}

/// What was wrong with a declaration.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    #[error("declaration has no `=` separating it from its result type")]
    MissingEquals,
    #[error("declaration has no combinator name")]
    MissingName,
    #[error("declaration has no result type")]
    MissingResultType,
    #[error("constructor id `{0}` is not 1 to 8 hexadecimal digits")]
    BadId(String),
    #[error("parameter `{0}` is not of the form `name:Type`")]
    BadParameter(String),
    #[error("flag condition `{0}` is not of the form `flags.N?Type` with N in 0..32")]
    BadFlag(String),
    #[error("flag parameter `{param}` uses `{field}`, which is not an earlier `{field}:#` field")]
    UnknownFlagsField { param: String, field: String },
    #[error("type `{0}` is malformed")]
    BadType(String),
    #[error("generic parameter `{0}` is not of the form `{{X:Type}}`")]
    BadGeneric(String),
    #[error("`// LAYER {0}` does not name a layer number")]
    BadLayer(String),
    #[error("unknown section marker `{0}` (expected ---types--- or ---functions---)")]
    UnknownSection(String),
    #[error("declaration does not end with `;`")]
    MissingSemicolon,
    #[error("text after `;` in `{0}`")]
    TrailingText(String),
}
