/// Computes a combinator's id from its declaration when no `#id` is given.
///
/// Per core.telegram.org/mtproto/TL-abstract-types ("Constructor number"), the
/// id is the CRC32 of the declaration text normalised as the reference
/// implementation does: the `#id` removed, `flags.N?true` parameters dropped
/// (they take no bytes and were added compatibly), `bytes` spelled `string`
/// (they share a wire format), `<`/`>` and `{`/`}` removed, whitespace
/// collapsed to single spaces and the trailing `;` removed.
///
/// `declaration` is the text without the trailing `;`; an `#id` in it is
/// ignored.
pub fn infer_id(declaration: &str) -> u32 {
    let mut words: Vec<String> = Vec::new();
    let normalised = declaration.replace('<', " ").replace(['>', '{', '}'], "");
    for (index, word) in normalised.split_whitespace().enumerate() {
        let word = if index == 0 {
            word.split('#').next().unwrap_or(word)
        } else {
            word
        };
        if is_true_flag(word) {
            continue;
        }
        let word = match word.split_once(':') {
            Some((name, "bytes")) => format!("{name}:string"),
            _ => match word.strip_suffix("?bytes") {
                Some(prefix) if word.contains(':') => format!("{prefix}?string"),
                _ => word.to_owned(),
            },
        };
        words.push(word);
    }
    crc32fast::hash(words.join(" ").as_bytes())
}

/// `name:flagsN.M?true`
fn is_true_flag(word: &str) -> bool {
    match word.split_once(':') {
        Some((_, ty)) => ty.starts_with("flags") && ty.ends_with("?true") && ty.contains('.'),
        None => false,
    }
}
