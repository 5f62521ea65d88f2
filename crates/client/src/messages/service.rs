//! Service messages in plain words (core.telegram.org/type/MessageAction):
//! "Alice joined", "Bob changed the title to “Lounge”". Names come from the
//! peer cache; a peer not met is "someone".

use hearth_session::PeerId;
use hearth_tl::enums::MessageAction as A;

use crate::Peers;

fn name(peers: &Peers, id: Option<PeerId>) -> String {
    match id {
        Some(id) if peers.self_id() == Some(id.bare_id()) && matches!(id, PeerId::User(_)) => {
            "You".into()
        }
        Some(id) => peers
            .get(id)
            .map(|p| p.title)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "someone".into()),
        None => "someone".into(),
    }
}

fn names(peers: &Peers, users: &[i64]) -> String {
    let all: Vec<String> = users
        .iter()
        .map(|u| name(peers, Some(PeerId::User(*u))))
        .collect();
    all.join(", ")
}

/// What `action`, done by `actor`, says in plain words.
pub fn describe(action: &A, actor: Option<PeerId>, peers: &Peers) -> String {
    let who = name(peers, actor);
    let actor_user = match actor {
        Some(PeerId::User(u)) => Some(u),
        _ => None,
    };
    match action {
        A::MessageActionChatCreate(a) => format!("{who} created the group “{}”", a.title),
        A::MessageActionChannelCreate(a) => format!("Channel “{}” created", a.title),
        A::MessageActionChatEditTitle(a) => format!("{who} changed the title to “{}”", a.title),
        A::MessageActionChatEditPhoto(_) => format!("{who} changed the group photo"),
        A::MessageActionChatDeletePhoto => format!("{who} removed the group photo"),
        A::MessageActionChatAddUser(a) if a.users.len() == 1 && Some(a.users[0]) == actor_user => {
            format!("{who} joined")
        }
        A::MessageActionChatAddUser(a) => format!("{who} added {}", names(peers, &a.users)),
        A::MessageActionChatDeleteUser(a) if Some(a.user_id) == actor_user => {
            format!("{who} left")
        }
        A::MessageActionChatDeleteUser(a) => {
            format!("{who} removed {}", names(peers, &[a.user_id]))
        }
        A::MessageActionChatJoinedByLink(_) => format!("{who} joined by invite link"),
        A::MessageActionChatJoinedByRequest => format!("{who} was accepted into the group"),
        A::MessageActionChatMigrateTo(_) => "The group was upgraded to a supergroup".into(),
        A::MessageActionChannelMigrateFrom(a) => {
            format!("The supergroup was made from the group “{}”", a.title)
        }
        A::MessageActionPinMessage => format!("{who} pinned a message"),
        A::MessageActionHistoryClear => "The history was cleared".into(),
        A::MessageActionContactSignUp => format!("{who} joined Telegram"),
        A::MessageActionScreenshotTaken => format!("{who} took a screenshot"),
        A::MessageActionPhoneCall(_) => "Call".into(),
        other => {
            let raw = format!("{other:?}");
            let kind = raw
                .split('(')
                .next()
                .unwrap_or_default()
                .trim_start_matches("MessageAction");
            format!("{who}: {kind}")
        }
    }
}
