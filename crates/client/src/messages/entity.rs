//! Message entities (core.telegram.org/api/entities): spans of a message's
//! text with a style or a link, counted in UTF-16 code units as Telegram
//! counts them.
//!
//! Invariant: [`Entity::offset`] and [`Entity::length`] are UTF-16 units,
//! never bytes or `char`s; [`utf16_len`] is the one place that counts them.

use hearth_tl::{enums, types};

use crate::Peers;

/// A styled or linked span of a message's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// Start, in UTF-16 code units.
    pub offset: i32,
    /// Length, in UTF-16 code units.
    pub length: i32,
    pub kind: EntityKind,
}

/// What an [`Entity`] does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Bold,
    Italic,
    Underline,
    Strike,
    Spoiler,
    Blockquote,
    /// Inline code.
    Code,
    /// A code block, with its language ("" when none).
    Pre {
        language: String,
    },
    /// Text that links to `url`.
    TextLink {
        url: String,
    },
    /// A mention of a user by id (text without an @username).
    MentionName {
        user_id: i64,
    },
    /// An @username in the text.
    Mention,
    Url,
    Email,
    Hashtag,
    BotCommand,
    /// Any other entity, by its TL constructor name.
    Other(String),
}

/// The length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> i32 {
    text.encode_utf16().count() as i32
}

/// The UTF-16 span `[offset, offset + length)` of `text`, `None` when it
/// is out of range or cuts a surrogate pair.
pub fn utf16_slice(text: &str, offset: i32, length: i32) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let from = usize::try_from(offset).ok()?;
    let to = from.checked_add(usize::try_from(length).ok()?)?;
    String::from_utf16(units.get(from..to)?).ok()
}

impl Entity {
    /// The entity of a TL `MessageEntity`.
    pub fn from_tl(e: &enums::MessageEntity) -> Entity {
        use enums::MessageEntity as E;
        let (offset, length, kind) = match e {
            E::MessageEntityBold(e) => (e.offset, e.length, EntityKind::Bold),
            E::MessageEntityItalic(e) => (e.offset, e.length, EntityKind::Italic),
            E::MessageEntityUnderline(e) => (e.offset, e.length, EntityKind::Underline),
            E::MessageEntityStrike(e) => (e.offset, e.length, EntityKind::Strike),
            E::MessageEntitySpoiler(e) => (e.offset, e.length, EntityKind::Spoiler),
            E::MessageEntityBlockquote(e) => (e.offset, e.length, EntityKind::Blockquote),
            E::MessageEntityCode(e) => (e.offset, e.length, EntityKind::Code),
            E::MessageEntityPre(e) => (
                e.offset,
                e.length,
                EntityKind::Pre {
                    language: e.language.clone(),
                },
            ),
            E::MessageEntityTextUrl(e) => (
                e.offset,
                e.length,
                EntityKind::TextLink { url: e.url.clone() },
            ),
            E::MessageEntityMentionName(e) => (
                e.offset,
                e.length,
                EntityKind::MentionName { user_id: e.user_id },
            ),
            E::InputMessageEntityMentionName(e) => {
                let user_id = match &e.user_id {
                    enums::InputUser::InputUser(u) => u.user_id,
                    _ => 0,
                };
                (e.offset, e.length, EntityKind::MentionName { user_id })
            }
            E::MessageEntityMention(e) => (e.offset, e.length, EntityKind::Mention),
            E::MessageEntityUrl(e) => (e.offset, e.length, EntityKind::Url),
            E::MessageEntityEmail(e) => (e.offset, e.length, EntityKind::Email),
            E::MessageEntityHashtag(e) => (e.offset, e.length, EntityKind::Hashtag),
            E::MessageEntityBotCommand(e) => (e.offset, e.length, EntityKind::BotCommand),
            other => {
                let name = format!("{other:?}");
                let name = name.split('(').next().unwrap_or_default().to_owned();
                let (offset, length) = span_of(other);
                (offset, length, EntityKind::Other(name))
            }
        };
        Entity {
            offset,
            length,
            kind,
        }
    }

    /// The TL entity to send; a mention by id needs the user's access
    /// hash, so it fails with [`crate::PeerNotMet`] for a user not met.
    pub fn to_tl(&self, peers: &Peers) -> Result<enums::MessageEntity, crate::PeerNotMet> {
        use enums::MessageEntity as E;
        let (offset, length) = (self.offset, self.length);
        Ok(match &self.kind {
            EntityKind::Bold => E::MessageEntityBold(types::MessageEntityBold { offset, length }),
            EntityKind::Italic => {
                E::MessageEntityItalic(types::MessageEntityItalic { offset, length })
            }
            EntityKind::Underline => {
                E::MessageEntityUnderline(types::MessageEntityUnderline { offset, length })
            }
            EntityKind::Strike => {
                E::MessageEntityStrike(types::MessageEntityStrike { offset, length })
            }
            EntityKind::Spoiler => {
                E::MessageEntitySpoiler(types::MessageEntitySpoiler { offset, length })
            }
            EntityKind::Blockquote => E::MessageEntityBlockquote(types::MessageEntityBlockquote {
                collapsed: false,
                offset,
                length,
            }),
            EntityKind::Code => E::MessageEntityCode(types::MessageEntityCode { offset, length }),
            EntityKind::Pre { language } => E::MessageEntityPre(types::MessageEntityPre {
                offset,
                length,
                language: language.clone(),
            }),
            EntityKind::TextLink { url } => E::MessageEntityTextUrl(types::MessageEntityTextUrl {
                offset,
                length,
                url: url.clone(),
            }),
            EntityKind::MentionName { user_id } => {
                E::InputMessageEntityMentionName(types::InputMessageEntityMentionName {
                    offset,
                    length,
                    user_id: peers.input_user(*user_id)?,
                })
            }
            EntityKind::Mention => {
                E::MessageEntityMention(types::MessageEntityMention { offset, length })
            }
            EntityKind::Url => E::MessageEntityUrl(types::MessageEntityUrl { offset, length }),
            EntityKind::Email => {
                E::MessageEntityEmail(types::MessageEntityEmail { offset, length })
            }
            EntityKind::Hashtag => {
                E::MessageEntityHashtag(types::MessageEntityHashtag { offset, length })
            }
            EntityKind::BotCommand => {
                E::MessageEntityBotCommand(types::MessageEntityBotCommand { offset, length })
            }
            EntityKind::Other(_) => {
                E::MessageEntityUnknown(types::MessageEntityUnknown { offset, length })
            }
        })
    }
}

/// Offset and length of entities this module has no kind for.
fn span_of(e: &enums::MessageEntity) -> (i32, i32) {
    use enums::MessageEntity as E;
    match e {
        E::MessageEntityUnknown(e) => (e.offset, e.length),
        E::MessageEntityPhone(e) => (e.offset, e.length),
        E::MessageEntityCashtag(e) => (e.offset, e.length),
        E::MessageEntityBankCard(e) => (e.offset, e.length),
        E::MessageEntityCustomEmoji(e) => (e.offset, e.length),
        _ => (0, 0),
    }
}
