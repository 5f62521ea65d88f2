//! Sending an upload as a photo or a document (`messages.sendMedia` with
//! `inputMediaUploadedPhoto` / `inputMediaUploadedDocument`,
//! core.telegram.org/api/files#uploading-files): with a caption, the
//! document's file name as `documentAttributeFilename`, and its MIME type
//! guessed from the name's extension (`mime_guess`, which follows the
//! shared-mime-info / Apache tables) unless the caller gives one; and
//! sending a photo or document again by its Bot API file id
//! ([`super::bot_ids`]).

use hearth_tl::{enums, functions, types};

use super::error::FileError;
use super::upload::Uploaded;
use crate::client::Client;

/// The MIME type of a file called `name` (`application/octet-stream` when
/// the extension says nothing).
pub fn mime_of(name: &str) -> String {
    mime_guess::from_path(name)
        .first_or_octet_stream()
        .essence_str()
        .to_owned()
}

/// The new message a `sendMedia`/`sendMessage` answer carries.
pub fn sent_message(updates: &enums::Updates) -> Option<types::Message> {
    let list: &[enums::Update] = match updates {
        enums::Updates::Updates(u) => &u.updates,
        enums::Updates::UpdatesCombined(u) => &u.updates,
        enums::Updates::UpdateShort(u) => std::slice::from_ref(&u.update),
        _ => &[],
    };
    list.iter().find_map(|u| {
        let m = match u {
            enums::Update::UpdateNewMessage(n) => &n.message,
            enums::Update::UpdateNewChannelMessage(n) => &n.message,
            _ => return None,
        };
        match &**m {
            enums::Message::Message(m) => Some(m.clone()),
            _ => None,
        }
    })
}

fn send_media(
    peer: enums::InputPeer,
    media: enums::InputMedia,
    caption: &str,
) -> functions::messages::SendMedia {
    functions::messages::SendMedia {
        silent: false,
        background: false,
        clear_draft: false,
        noforwards: false,
        update_stickersets_order: false,
        invert_media: false,
        allow_paid_floodskip: false,
        peer,
        reply_to: None,
        media,
        message: caption.into(),
        random_id: rand::random(),
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        allow_paid_stars: None,
        suggested_post: None,
    }
}

impl Client {
    /// Sends the photo or document a Bot API `file_id` names (decoded,
    /// then `inputMediaPhoto`/`inputMediaDocument`); the sent message. An
    /// id from another account is refused by the server (`MEDIA_EMPTY`).
    pub async fn send_file_id(
        &self,
        peer: enums::InputPeer,
        file_id: &str,
        caption: &str,
    ) -> Result<Option<types::Message>, FileError> {
        let media = super::bot_ids::input_media(file_id)?;
        let updates = self.invoke(&send_media(peer, media, caption)).await?;
        Ok(sent_message(&updates))
    }

    /// Sends `file` (a JPEG or PNG upload) as a photo; the sent message.
    pub async fn send_photo(
        &self,
        peer: enums::InputPeer,
        file: &Uploaded,
        caption: &str,
    ) -> Result<Option<types::Message>, FileError> {
        let media = enums::InputMedia::InputMediaUploadedPhoto(types::InputMediaUploadedPhoto {
            spoiler: false,
            live_photo: false,
            file: file.file.clone(),
            stickers: None,
            ttl_seconds: None,
            video: None,
        });
        let updates = self.invoke(&send_media(peer, media, caption)).await?;
        Ok(sent_message(&updates))
    }

    /// Sends `file` as a document named after the upload, with `mime` or
    /// the type its name suggests; the sent message.
    pub async fn send_document(
        &self,
        peer: enums::InputPeer,
        file: &Uploaded,
        caption: &str,
        mime: Option<&str>,
    ) -> Result<Option<types::Message>, FileError> {
        let mime_type = mime.map_or_else(|| mime_of(&file.name), str::to_owned);
        let media =
            enums::InputMedia::InputMediaUploadedDocument(types::InputMediaUploadedDocument {
                nosound_video: false,
                force_file: true,
                spoiler: false,
                file: file.file.clone(),
                thumb: None,
                mime_type,
                attributes: vec![enums::DocumentAttribute::DocumentAttributeFilename(
                    types::DocumentAttributeFilename {
                        file_name: file.name.clone(),
                    },
                )],
                stickers: None,
                video_cover: None,
                video_timestamp: None,
                ttl_seconds: None,
            });
        let updates = self.invoke(&send_media(peer, media, caption)).await?;
        Ok(sent_message(&updates))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_come_from_the_extension() {
        assert_eq!(mime_of("notes.txt"), "text/plain");
        assert_eq!(mime_of("Photo.JPG"), "image/jpeg");
        assert_eq!(mime_of("report.pdf"), "application/pdf");
        assert_eq!(mime_of("archive"), "application/octet-stream");
    }
}
