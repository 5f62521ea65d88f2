//! A small Markdown-like markup for outgoing text, turned into plain text
//! and [`Entity`]s with UTF-16 offsets (core.telegram.org/api/entities).
//!
//! | markup | entity |
//! |---|---|
//! | `**bold**` | bold |
//! | `__italic__` | italic |
//! | `++underline++` | underline |
//! | `~~strike~~` | strike |
//! | `` `code` `` | inline code |
//! | ```` ```lang⏎code``` ```` | code block (language optional) |
//! | `[text](https://…)` | text link |
//! | `[text](tg://user?id=123)` | mention of user 123 by id |
//! | `@username` | mention (sent as an entity) |
//! | `\*` (backslash + any char) | the char itself |
//!
//! Markers nest (`**bold __both__**`); a marker with no closing partner is
//! kept as text, so any input parses (bad input never fails or panics).
//! Hand-written: the crates that parse Markdown (pulldown-cmark, comrak)
//! follow CommonMark, whose rules differ from Telegram's markers (no
//! underline, `_x_` is italic, emphasis across spaces), and give byte
//! offsets, not UTF-16 ones.

use crate::messages::entity::{utf16_len, Entity, EntityKind};

/// The style markers, each opening and closing its span.
const MARKERS: [&str; 4] = ["**", "__", "++", "~~"];

fn style(marker: &str) -> EntityKind {
    match marker {
        "**" => EntityKind::Bold,
        "__" => EntityKind::Italic,
        "++" => EntityKind::Underline,
        _ => EntityKind::Strike,
    }
}

/// Parses `markup` into its plain text and entities (sorted by offset).
pub fn parse(markup: &str) -> (String, Vec<Entity>) {
    let mut p = Parser::default();
    p.run(markup);
    let mut entities = p.entities;
    entities.retain(|e| e.length > 0);
    entities.sort_by_key(|e| (e.offset, -e.length));
    (p.text, entities)
}

#[derive(Default)]
struct Parser {
    text: String,
    /// `text`'s length in UTF-16 units.
    len: i32,
    entities: Vec<Entity>,
    /// Open markers: (marker, UTF-16 start).
    open: Vec<(&'static str, i32)>,
}

impl Parser {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.len += utf16_len(s);
    }

    fn span(&mut self, start: i32, kind: EntityKind) {
        self.entities.push(Entity {
            offset: start,
            length: self.len - start,
            kind,
        });
    }

    fn run(&mut self, src: &str) {
        let mut rest = src;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix('\\') {
                match after.chars().next() {
                    Some(e) => {
                        self.push(&after[..e.len_utf8()]);
                        rest = &after[e.len_utf8()..];
                    }
                    None => {
                        self.push("\\");
                        rest = after;
                    }
                }
                continue;
            }
            if let Some(after) = rest.strip_prefix("```") {
                if let Some(end) = after.find("```") {
                    self.pre(&after[..end]);
                    rest = &after[end + 3..];
                    continue;
                }
            }
            if let Some(after) = rest.strip_prefix('`') {
                if let Some(end) = after.find('`').filter(|e| *e > 0) {
                    let start = self.len;
                    self.push(&after[..end]);
                    self.span(start, EntityKind::Code);
                    rest = &after[end + 1..];
                    continue;
                }
            }
            if let Some(n) = self.marker(rest) {
                rest = &rest[n..];
                continue;
            }
            if c == '[' {
                if let Some(n) = self.link(rest) {
                    rest = &rest[n..];
                    continue;
                }
            }
            if c == '@' && !self.text.chars().next_back().is_some_and(is_word) {
                let name: String = rest[1..].chars().take_while(|c| is_word(*c)).collect();
                if (5..=32).contains(&name.len())
                    && name.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    let start = self.len;
                    self.push("@");
                    self.push(&name);
                    self.span(start, EntityKind::Mention);
                    rest = &rest[1 + name.len()..];
                    continue;
                }
            }
            self.push(&rest[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
        }
    }

    /// A ```` ``` ```` block's body: an optional language on the first line.
    fn pre(&mut self, body: &str) {
        let (language, code) = match body.split_once('\n') {
            Some((first, code)) if !first.is_empty() && !first.contains(char::is_whitespace) => {
                (first.to_owned(), code)
            }
            _ => (String::new(), body.strip_prefix('\n').unwrap_or(body)),
        };
        let start = self.len;
        self.push(code);
        self.span(start, EntityKind::Pre { language });
    }

    /// A style marker at the start of `rest`: opens (when a partner
    /// follows) or closes a span. Returns the bytes used.
    fn marker(&mut self, rest: &str) -> Option<usize> {
        let marker = *MARKERS.iter().find(|m| rest.starts_with(**m))?;
        if let Some(i) = self.open.iter().rposition(|(m, _)| *m == marker) {
            let (_, start) = self.open.remove(i);
            self.span(start, style(marker));
            return Some(marker.len());
        }
        if has_closing(&rest[marker.len()..], marker) {
            self.open.push((marker, self.len));
            return Some(marker.len());
        }
        None
    }

    /// `[text](target)` at the start of `rest`; the bytes used.
    fn link(&mut self, rest: &str) -> Option<usize> {
        let close = rest.find("](")?;
        let end = close + 2 + rest[close + 2..].find(')')?;
        let target = rest[close + 2..end].trim();
        let kind = match target.strip_prefix("tg://user?id=") {
            Some(id) => EntityKind::MentionName {
                user_id: id.parse().ok()?,
            },
            None if !target.is_empty() && !target.contains(char::is_whitespace) => {
                EntityKind::TextLink {
                    url: target.to_owned(),
                }
            }
            None => return None,
        };
        let (inner, nested) = parse(&rest[1..close]);
        let start = self.len;
        self.entities.extend(nested.into_iter().map(|mut e| {
            e.offset += start;
            e
        }));
        self.push(&inner);
        self.span(start, kind);
        Some(end + 1)
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether an unescaped `marker` occurs in `rest`.
fn has_closing(rest: &str, marker: &str) -> bool {
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if rest[i..].starts_with(marker) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests;
