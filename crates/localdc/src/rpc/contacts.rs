//! Contacts (core.telegram.org/api/contacts): `contacts.getContacts`,
//! `contacts.importContacts`, `contacts.deleteContacts`.
//!
//! A saved contact is met (its access hash is usable, as after
//! `contacts.resolveUsername`) and makes `user.contact` true for the saver,
//! `user.mutual_contact` when both saved each other; the saver sees the
//! contact under the name it imported (when one was given). `contacts.getContacts`
//! answers `contacts.contactsNotModified` when the client's hash equals
//! Telegram's hash (core.telegram.org/api/offsets#hash-generation) of
//! `saved_count` followed by the sorted contact ids. Only users may call
//! these methods (400 `BOT_METHOD_INVALID` for bots).

use hearth_tl::{enums, functions, types, Identifiable, Serializable};

use super::ctx::{decode, RpcCtx, RpcError};
use crate::state::unix_now;

/// Answers the methods of this module; `None` for any other constructor.
pub fn dispatch(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Option<Result<Vec<u8>, RpcError>> {
    use functions as f;
    Some(match id {
        f::contacts::GetContacts::CONSTRUCTOR_ID => decode(body).and_then(|r| get_contacts(ctx, r)),
        f::contacts::ImportContacts::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| import_contacts(ctx, r))
        }
        f::contacts::DeleteContacts::CONSTRUCTOR_ID => {
            decode(body).and_then(|r| delete_contacts(ctx, r))
        }
        _ => return None,
    })
}

/// Telegram's 64-bit hash of a list of numbers
/// (core.telegram.org/api/offsets#hash-generation).
pub fn vector_hash(numbers: impl IntoIterator<Item = u64>) -> i64 {
    let mut acc: u64 = 0;
    for n in numbers {
        acc ^= acc >> 21;
        acc ^= acc << 35;
        acc ^= acc >> 4;
        acc = acc.wrapping_add(n);
    }
    acc as i64
}

/// `contacts.getContacts { hash }`.
pub fn get_contacts(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::GetContacts,
) -> Result<Vec<u8>, RpcError> {
    let me = crate::rpc::tl::require_human(ctx)?;
    let list: Vec<(i64, bool)> = {
        let users = ctx.state.users();
        let mine = users
            .get(me)
            .map(|u| u.contacts.clone())
            .unwrap_or_default();
        mine.into_iter()
            .map(|id| {
                let mutual = users.get(id).is_some_and(|u| u.contacts.contains(&me));
                (id, mutual)
            })
            .collect()
    };
    let saved_count = list.len() as i32;
    let hash = vector_hash(
        std::iter::once(saved_count as u64).chain(list.iter().map(|(id, _)| *id as u64)),
    );
    if req.hash != 0 && req.hash == hash {
        return Ok(types::contacts::ContactsNotModified {}.to_bytes());
    }
    Ok(types::contacts::Contacts {
        contacts: list
            .iter()
            .map(|&(user_id, mutual)| enums::Contact::Contact(types::Contact { user_id, mutual }))
            .collect(),
        saved_count,
        users: crate::rpc::tl::tl_users(ctx, me, list.iter().map(|(id, _)| *id)),
    }
    .to_bytes())
}

fn normalize_phone(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_digit).collect()
}

/// `contacts.importContacts`: phones of accounts become contacts (and are
/// met); other phones are listed in `popular_invites` with how many accounts
/// imported them. `retry_contacts` stays empty.
pub fn import_contacts(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::ImportContacts,
) -> Result<Vec<u8>, RpcError> {
    let me = crate::rpc::tl::require_human(ctx)?;
    let mut imported = Vec::new();
    let mut popular = Vec::new();
    let mut found = Vec::new();
    for c in req.contacts {
        let enums::InputContact::InputPhoneContact(c) = c;
        let phone = normalize_phone(&c.phone);
        let name = crate::users::SavedName {
            first_name: c.first_name.trim().to_owned(),
            last_name: c.last_name.trim().to_owned(),
        };
        let user = ctx.state.users().by_phone(&phone).map(|u| u.id);
        match user {
            Some(id) if !phone.is_empty() => {
                ctx.state.users().add_contact(me, id, name);
                ctx.state.mailboxes().meet(me, id);
                imported.push(enums::ImportedContact::ImportedContact(
                    types::ImportedContact {
                        user_id: id,
                        client_id: c.client_id,
                    },
                ));
                found.push(id);
            }
            _ => {
                let importers = ctx.state.phone_book().import_unregistered(&phone, me, name);
                popular.push(enums::PopularContact::PopularContact(
                    types::PopularContact {
                        client_id: c.client_id,
                        importers,
                    },
                ));
            }
        }
    }
    Ok(types::contacts::ImportedContacts {
        imported,
        popular_invites: popular,
        retry_contacts: Vec::new(),
        users: crate::rpc::tl::tl_users(ctx, me, found),
    }
    .to_bytes())
}

/// `contacts.deleteContacts`: removes the users from the caller's contacts;
/// a user the caller cannot address is `CONTACT_ID_INVALID`. Answers
/// `updates` carrying the users as they now look.
pub fn delete_contacts(
    ctx: &mut RpcCtx<'_>,
    req: functions::contacts::DeleteContacts,
) -> Result<Vec<u8>, RpcError> {
    let me = crate::rpc::tl::require_human(ctx)?;
    let mut ids = Vec::new();
    for input in &req.id {
        let id = match input {
            enums::InputUser::InputUserSelf => me,
            enums::InputUser::InputUser(u) => {
                let ok = ctx
                    .state
                    .users()
                    .get(u.user_id)
                    .is_some_and(|x| x.access_hash_for(me) == u.access_hash);
                if !ok || !ctx.state.mailboxes().has_met(me, u.user_id) {
                    return Err(RpcError::bad_request("CONTACT_ID_INVALID"));
                }
                u.user_id
            }
            _ => return Err(RpcError::bad_request("CONTACT_ID_INVALID")),
        };
        ids.push(id);
    }
    for id in &ids {
        ctx.state.users().remove_contact(me, *id);
    }
    Ok(types::Updates {
        updates: Vec::new(),
        users: crate::rpc::tl::tl_users(ctx, me, ids),
        chats: Vec::new(),
        date: unix_now() as i32,
        seq: 0,
    }
    .to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_hash_follows_telegrams_algorithm() {
        assert_eq!(vector_hash([]), 0);
        assert_eq!(vector_hash([0]), 0);
        assert_eq!(vector_hash([5]), 5);
        // Values of an independent implementation of the published algorithm.
        assert_eq!(vector_hash([1, 1000002]), 36508222019);
        assert_eq!(vector_hash([2, 1000002, 1000003]), 34259760389716259);
        assert_ne!(vector_hash([1, 2]), vector_hash([2, 1]), "order matters");
    }
}
