//! Photos and documents in world-file histories:
//!
//! ```toml
//! messages = [
//!   { from = "alice", text = "Look", photo = "sunset" },               # 1280×853
//!   { from = "bob", text = "", photo = { name = "garden", width = 640, height = 480 } },
//!   { from = "alice", text = "", document = { name = "notes.txt", mime = "text/plain", text = "..." } },
//! ]
//! ```
//!
//! A photo's pixels are generated deterministically from its name and size
//! ([`crate::photos::generated`]); a document's content is its `text`. Both
//! live on the sender's home DC and get an id derived from their
//! description, so the same world always gives the same ids.

use hearth_crypto::hash::sha256;
use serde::Deserialize;

use crate::files::WorldMedia;

/// Default size of a photo given by name only.
pub const DEFAULT_PHOTO: (u32, u32) = (1280, 853);

/// `photo = "name"` or `photo = { name, width, height }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum WorldPhoto {
    Named(String),
    Sized {
        name: String,
        width: u32,
        height: u32,
    },
}

/// `document = { name, mime, text }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldDocument {
    pub name: String,
    pub mime: String,
    #[serde(default)]
    pub text: String,
}

impl WorldPhoto {
    pub fn name(&self) -> &str {
        match self {
            Self::Named(n) | Self::Sized { name: n, .. } => n,
        }
    }
    pub fn size(&self) -> (u32, u32) {
        match self {
            Self::Named(_) => DEFAULT_PHOTO,
            Self::Sized { width, height, .. } => (*width, *height),
        }
    }
}

/// A positive id for media described by `parts`.
fn id_of(parts: &[&[u8]]) -> i64 {
    let h = sha256(parts);
    let v = u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
    (v >> 2) as i64 | 1 << 60
}

/// The id and description of a message's media, stored on `dc`.
pub fn media_of(
    photo: Option<&WorldPhoto>,
    document: Option<&WorldDocument>,
    dc: i32,
) -> Option<(i64, WorldMedia)> {
    if let Some(p) = photo {
        let (w, h) = p.size();
        let id = id_of(&[
            b"photo",
            p.name().as_bytes(),
            &w.to_le_bytes(),
            &h.to_le_bytes(),
        ]);
        return Some((
            id,
            WorldMedia::Photo {
                w,
                h,
                seed: id as u64,
                dc,
            },
        ));
    }
    let d = document?;
    let id = id_of(&[
        b"document",
        d.name.as_bytes(),
        &[0],
        d.mime.as_bytes(),
        &[0],
        d.text.as_bytes(),
    ]);
    Some((
        id,
        WorldMedia::Document {
            name: d.name.clone(),
            mime: d.mime.clone(),
            text: d.text.clone(),
            dc,
        },
    ))
}

/// Checks a message's media; the error says what to fix.
pub fn validate(
    photo: Option<&WorldPhoto>,
    document: Option<&WorldDocument>,
    what: &str,
) -> Result<(), String> {
    if photo.is_some() && document.is_some() {
        return Err(format!(
            "{what}: a message has either a photo or a document, not both"
        ));
    }
    if let Some(p) = photo {
        let (w, h) = p.size();
        if p.name().is_empty() {
            return Err(format!("{what}: a photo needs a name"));
        }
        if crate::photos::check_dimensions(w, h).is_err() || w > 2560 || h > 2560 {
            return Err(format!(
                "{what}: photo {:?} is {w}x{h}; sides must be 1..=2560 with a ratio of at most 20",
                p.name()
            ));
        }
    }
    if let Some(d) = document {
        if d.name.is_empty() || !d.mime.contains('/') {
            return Err(format!(
                "{what}: a document needs a name and a MIME type like \"text/plain\" (got {:?}, {:?})",
                d.name, d.mime
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn world(messages: &str) -> Result<World, String> {
        let text = format!(
            "[[account]]\nname='a'\nphone='9996621234'\nfirst_name='A'\n\
             [[account]]\nname='b'\nphone='9996641234'\nfirst_name='B'\n\
             [[private_chat]]\nmembers=['a','b']\nmessages=[{messages}]\n"
        );
        World::parse(&text, "t").map_err(|e| e.to_string())
    }

    #[test]
    fn media_ids_are_stable_and_distinct() {
        let w = world(
            "{from='a', text='', photo='sunset'}, {from='b', text='', photo={name='sunset', width=640, height=480}}, \
             {from='a', text='', document={name='n.txt', mime='text/plain', text='x'}}, {from='a', text='plain'}",
        )
        .unwrap();
        let ids: Vec<Option<i64>> = w.private_chats[0]
            .messages
            .iter()
            .map(|m| m.media_id())
            .collect();
        assert!(ids[..3].iter().all(|i| i.is_some_and(|v| v > 0)));
        assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[3].is_none());
        let again = world("{from='a', text='other text', photo='sunset'}").unwrap();
        assert_eq!(again.private_chats[0].messages[0].media_id(), ids[0]);
        let m = &w.private_chats[0].messages[1];
        let (_, media) = media_of(m.photo.as_ref(), m.document.as_ref(), 4).unwrap();
        assert!(matches!(
            media,
            WorldMedia::Photo {
                w: 640,
                h: 480,
                dc: 4,
                ..
            }
        ));
    }

    #[test]
    fn bad_media_is_named() {
        let cases = [
            (
                "{from='a', text='', photo='p', document={name='n', mime='text/plain'}}",
                "not both",
            ),
            (
                "{from='a', text='', photo={name='p', width=3000, height=100}}",
                "3000x100",
            ),
            (
                "{from='a', text='', photo={name='p', width=2000, height=50}}",
                "ratio",
            ),
            (
                "{from='a', text='', document={name='n', mime='plain'}}",
                "MIME type",
            ),
        ];
        for (messages, needle) in cases {
            let err = world(messages).unwrap_err();
            assert!(err.contains(needle), "{messages}: {err}");
        }
    }
}
