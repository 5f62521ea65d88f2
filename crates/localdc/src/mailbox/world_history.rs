//! The world's history ([`crate::world`]): `[[private_chat]]` and `[[group]]`
//! messages copied into the members' boxes without `pts` events. A group
//! starts with its `messageActionChatCreate` service message from the creator.

use super::{Mailboxes, ServiceAction};
use crate::world::World;

pub(super) fn fill(world: &World, date: i32) -> Mailboxes {
    let mut boxes = Mailboxes::default();
    for chat in &world.private_chats {
        let (Some(a), Some(b)) = (
            world.user_id(&chat.members[0]),
            world.user_id(&chat.members[1]),
        ) else {
            continue;
        };
        boxes.meet(a, b);
        boxes.meet(b, a);
        for m in &chat.messages {
            let Some(from) = world.user_id(&m.from) else {
                continue;
            };
            let to = if from == a { b } else { a };
            boxes.deliver(from, to, &m.text, date, m.media_id(), false);
        }
    }
    for (index, group) in world.groups.iter().enumerate() {
        let chat = crate::chats::world_chat_id(index);
        let members: Vec<i64> = group
            .members
            .iter()
            .filter_map(|name| world.user_id(name))
            .collect();
        let Some(creator) = world.user_id(&group.creator) else {
            continue;
        };
        let create = ServiceAction::ChatCreate {
            title: group.title.clone(),
            users: members.clone(),
        };
        boxes.post_to_chat(creator, chat, &members, "", Some(create), date, false);
        for m in &group.messages {
            if let Some(from) = world.user_id(&m.from) {
                let content = (m.text.as_str(), None, m.media_id());
                boxes.post_media_to_chat(from, chat, &members, content, date, false);
            }
        }
    }
    boxes
}
