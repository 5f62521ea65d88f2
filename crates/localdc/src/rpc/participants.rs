//! `channels.getParticipants` (core.telegram.org/method/channels.getParticipants,
//! core.telegram.org/api/offsets#hash-generation): the members of a channel
//! or supergroup, filtered and paged with `offset`/`limit`. The creator comes
//! first as `channelParticipantCreator`, then the admins, then the others,
//! most recently joined first. In a broadcast channel only admins may list
//! the subscribers (`CHAT_ADMIN_REQUIRED`).

use hearth_tl::{enums, functions as f, types, Serializable};

use super::ctx::{RpcCtx, RpcError};
use crate::channels::Channel;
use crate::rpc::tl::{
    admin_rights, creator_rights, input_channel, met_users, tl_channel, with, Need,
};

/// Telegram's list hash (core.telegram.org/api/offsets#hash-generation) of
/// the participant ids, for `channelParticipantsNotModified`.
pub fn ids_hash(ids: &[i64]) -> i64 {
    let mut hash: u64 = 0;
    for id in ids {
        hash ^= hash >> 21;
        hash ^= hash << 35;
        hash ^= hash >> 4;
        hash = hash.wrapping_add(*id as u64);
    }
    hash as i64
}

/// The members in listing order: creator, admins, then by join date, newest first.
fn ordered(ch: &Channel) -> Vec<i64> {
    let mut rest: Vec<(i32, i64)> = ch
        .members
        .iter()
        .filter(|(u, _)| !ch.is_admin(**u))
        .map(|(u, d)| (*d, *u))
        .collect();
    rest.sort_by_key(|(d, u)| (std::cmp::Reverse(*d), *u));
    let mut out = vec![ch.creator];
    out.extend(ch.admins.iter().filter(|a| ch.is_member(**a)));
    out.extend(rest.into_iter().map(|(_, u)| u));
    out.retain(|u| ch.is_member(*u));
    out
}

pub fn get_participants(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::GetParticipants,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    if req.offset < 0 || req.limit < 0 {
        return Err(RpcError::bad_request("LIMIT_INVALID"));
    }
    let limit = req.limit.min(200) as usize;
    let (forbidden, list) = with(ctx, id, |ch| {
        (ch.broadcast() && !ch.is_admin(me), ordered(ch))
    })?;
    if forbidden {
        return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
    }
    let matches = |user: i64, q: &str| -> bool {
        if q.is_empty() {
            return true;
        }
        let q = q.to_lowercase();
        ctx.state.users().get(user).is_some_and(|u| {
            [
                Some(u.first_name.as_str()),
                Some(u.last_name.as_str()),
                u.username.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&q))
        })
    };
    let is_bot = |user: i64| ctx.state.users().get(user).is_some_and(|u| u.bot);
    let creator_and_admins = with(ctx, id, |ch| {
        list.iter()
            .copied()
            .filter(|u| ch.is_admin(*u))
            .collect::<Vec<_>>()
    })?;
    let filtered: Vec<i64> = match &req.filter {
        enums::ChannelParticipantsFilter::ChannelParticipantsRecent => list,
        enums::ChannelParticipantsFilter::ChannelParticipantsAdmins => creator_and_admins,
        enums::ChannelParticipantsFilter::ChannelParticipantsSearch(s) => {
            list.into_iter().filter(|u| matches(*u, &s.q)).collect()
        }
        enums::ChannelParticipantsFilter::ChannelParticipantsMentions(m) => {
            let q = m.q.clone().unwrap_or_default();
            list.into_iter().filter(|u| matches(*u, &q)).collect()
        }
        enums::ChannelParticipantsFilter::ChannelParticipantsBots => {
            list.into_iter().filter(|u| is_bot(*u)).collect()
        }
        // Nobody is banned or kicked here, and there is no contact list.
        enums::ChannelParticipantsFilter::ChannelParticipantsKicked(_)
        | enums::ChannelParticipantsFilter::ChannelParticipantsBanned(_)
        | enums::ChannelParticipantsFilter::ChannelParticipantsContacts(_) => Vec::new(),
    };
    let page: Vec<i64> = filtered
        .iter()
        .copied()
        .skip(req.offset as usize)
        .take(limit)
        .collect();
    if req.hash != 0 && req.hash == ids_hash(&page) {
        return Ok(enums::channels::ChannelParticipants::ChannelParticipantsNotModified.to_bytes());
    }
    let (participants, chat) = with(ctx, id, |ch| {
        (
            page.iter()
                .map(|u| tl_participant(ch, *u, me))
                .collect::<Vec<_>>(),
            tl_channel(ch, me),
        )
    })?;
    Ok(types::channels::ChannelParticipants {
        count: filtered.len() as i32,
        participants,
        chats: vec![chat],
        users: met_users(ctx, me, page),
    }
    .to_bytes())
}
/// `channels.getParticipant` → `channels.channelParticipant`: one member
/// (`inputPeerSelf` or a user met with the right hash, else
/// `PARTICIPANT_ID_INVALID`); not a member is `USER_NOT_PARTICIPANT`. In a
/// broadcast channel only admins may ask about others (`CHAT_ADMIN_REQUIRED`).
pub fn get_participant(
    ctx: &mut RpcCtx<'_>,
    req: f::channels::GetParticipant,
) -> Result<Vec<u8>, RpcError> {
    let me = ctx.require_user()?;
    let id = input_channel(ctx, me, &req.channel, Need::Read)?;
    let invalid = || RpcError::bad_request("PARTICIPANT_ID_INVALID");
    let user = match &req.participant {
        enums::InputPeer::InputPeerSelf => me,
        enums::InputPeer::InputPeerUser(u) => ctx
            .state
            .users()
            .get(u.user_id)
            .filter(|x| x.access_hash_for(me) == u.access_hash)
            .map(|x| x.id)
            .ok_or_else(invalid)?,
        _ => return Err(invalid()),
    };
    let (participant, chat) = with(ctx, id, |ch| {
        if user != me && ch.broadcast() && !ch.is_admin(me) {
            return Err(RpcError::bad_request("CHAT_ADMIN_REQUIRED"));
        }
        if !ch.is_member(user) {
            return Err(RpcError::bad_request("USER_NOT_PARTICIPANT"));
        }
        Ok((tl_participant(ch, user, me), tl_channel(ch, me)))
    })??;
    Ok(types::channels::ChannelParticipant {
        participant,
        chats: vec![chat],
        users: met_users(ctx, me, [user]),
    }
    .to_bytes())
}

/// A participant as `viewer` sees it in `channels.getParticipants`.
pub fn tl_participant(ch: &Channel, user: i64, viewer: i64) -> enums::ChannelParticipant {
    let date = ch.members.get(&user).copied().unwrap_or(ch.date);
    if user == ch.creator {
        enums::ChannelParticipant::ChannelParticipantCreator(types::ChannelParticipantCreator {
            user_id: user,
            admin_rights: creator_rights(),
            rank: None,
        })
    } else if ch.admins.contains(&user) {
        enums::ChannelParticipant::ChannelParticipantAdmin(types::ChannelParticipantAdmin {
            can_edit: viewer == ch.creator,
            self_: user == viewer,
            user_id: user,
            inviter_id: (user == viewer).then_some(ch.creator),
            promoted_by: ch.creator,
            date,
            admin_rights: admin_rights(),
            rank: None,
        })
    } else if user == viewer {
        enums::ChannelParticipant::ChannelParticipantSelf(types::ChannelParticipantSelf {
            via_request: false,
            user_id: user,
            inviter_id: ch.creator,
            date,
            subscription_until_date: None,
            rank: None,
        })
    } else {
        enums::ChannelParticipant::ChannelParticipant(types::ChannelParticipant {
            user_id: user,
            date,
            subscription_until_date: None,
            rank: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ids_hash;

    #[test]
    fn list_hash_follows_the_documented_steps() {
        assert_eq!(ids_hash(&[]), 0);
        assert_eq!(ids_hash(&[1]), 1);
        // h = 1: h ^= h >> 21 (1); h ^= h << 35 (2^35 + 1);
        // h ^= h >> 4 (adds 2^31); h += 2.
        assert_eq!(ids_hash(&[1, 2]), (1i64 << 35) + (1 << 31) + 1 + 2);
        assert_ne!(ids_hash(&[1, 2]), ids_hash(&[2, 1]), "order matters");
    }
}
