//! Basic groups (`chat#...`, core.telegram.org/api/channel#basic-groups):
//! who is in them, who invited whom, who left or was removed. Their
//! messages live in the members' own boxes ([`crate::mailbox`]).
//!
//! Invariants: the creator is a participant when the chat is made; a user is
//! at most once in `participants`; `version` grows by one with every change
//! of the participant list (as `chatParticipants.version` does on Telegram).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::world::World;

/// Id of the world's `index`-th `[[group]]` (0-based); chats created at run
/// time follow the last one.
pub fn world_chat_id(index: usize) -> i64 {
    FIRST_CHAT_ID + index as i64
}

const FIRST_CHAT_ID: i64 = 4_000_001;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub user_id: i64,
    /// Who added the user (the creator for itself).
    pub inviter_id: i64,
    pub date: i32,
}

/// How a user stands towards a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Member,
    /// Left by itself: sees its history, cannot write.
    Left,
    /// Removed by someone else: `chatForbidden`.
    Kicked,
    /// Never in it: `CHAT_ID_INVALID`.
    Stranger,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    pub id: i64,
    pub title: String,
    pub creator: i64,
    pub date: i32,
    pub version: i32,
    pub participants: Vec<Participant>,
    /// Former members that left by themselves.
    pub left: Vec<i64>,
    /// Former members removed by another member.
    pub kicked: Vec<i64>,
}

impl Chat {
    pub fn membership(&self, user: i64) -> Membership {
        if self.is_member(user) {
            Membership::Member
        } else if self.left.contains(&user) {
            Membership::Left
        } else if self.kicked.contains(&user) {
            Membership::Kicked
        } else {
            Membership::Stranger
        }
    }

    pub fn is_member(&self, user: i64) -> bool {
        self.participants.iter().any(|p| p.user_id == user)
    }

    pub fn member_ids(&self) -> Vec<i64> {
        self.participants.iter().map(|p| p.user_id).collect()
    }

    pub fn participant(&self, user: i64) -> Option<&Participant> {
        self.participants.iter().find(|p| p.user_id == user)
    }

    /// Adds `user` (no-op when already in); returns whether it was added.
    pub fn add(&mut self, user: i64, inviter: i64, date: i32) -> bool {
        if self.is_member(user) {
            return false;
        }
        self.left.retain(|u| *u != user);
        self.kicked.retain(|u| *u != user);
        self.participants.push(Participant {
            user_id: user,
            inviter_id: inviter,
            date,
        });
        self.version += 1;
        true
    }

    /// Removes `user`, remembering whether it left (`by == user`) or was
    /// removed; returns whether it was a member.
    pub fn remove(&mut self, user: i64, by: i64) -> bool {
        if !self.is_member(user) {
            return false;
        }
        self.participants.retain(|p| p.user_id != user);
        if by == user {
            self.left.push(user);
        } else {
            self.kicked.push(user);
        }
        self.version += 1;
        true
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Chats {
    by_id: BTreeMap<i64, Chat>,
    next_id: i64,
}

impl Chats {
    /// The world's groups, ids from [`world_chat_id`] in file order.
    pub fn from_world(world: &World, date: i32) -> Self {
        let mut chats = Chats {
            by_id: BTreeMap::new(),
            next_id: world_chat_id(world.groups.len()),
        };
        for (index, g) in world.groups.iter().enumerate() {
            let Some(creator) = world.user_id(&g.creator) else {
                continue;
            };
            let id = world_chat_id(index);
            let participants = g
                .members
                .iter()
                .filter_map(|name| world.user_id(name))
                .map(|user_id| Participant {
                    user_id,
                    inviter_id: creator,
                    date,
                })
                .collect();
            chats.by_id.insert(
                id,
                Chat {
                    id,
                    title: g.title.clone(),
                    creator,
                    date,
                    version: 1,
                    participants,
                    left: Vec::new(),
                    kicked: Vec::new(),
                },
            );
        }
        chats
    }

    /// A new chat made by `creator` with `others` (duplicates and the
    /// creator itself among them are dropped).
    pub fn create(&mut self, title: &str, creator: i64, others: &[i64], date: i32) -> &Chat {
        if self.next_id < FIRST_CHAT_ID {
            self.next_id = FIRST_CHAT_ID;
        }
        let id = self.next_id;
        self.next_id += 1;
        let mut chat = Chat {
            id,
            title: title.to_owned(),
            creator,
            date,
            version: 0,
            participants: Vec::new(),
            left: Vec::new(),
            kicked: Vec::new(),
        };
        chat.add(creator, creator, date);
        for &u in others {
            chat.add(u, creator, date);
        }
        chat.version = 1;
        self.by_id.entry(id).or_insert(chat)
    }

    pub fn get(&self, id: i64) -> Option<&Chat> {
        self.by_id.get(&id)
    }

    pub fn get_mut(&mut self, id: i64) -> Option<&mut Chat> {
        self.by_id.get_mut(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_follows_adds_leaves_and_removals() {
        let mut chats = Chats::default();
        let id = chats.create("t", 1, &[2, 2, 1, 3], 10).id;
        assert_eq!(id, FIRST_CHAT_ID);
        let chat = chats.get_mut(id).unwrap();
        assert_eq!(chat.member_ids(), vec![1, 2, 3]);
        assert_eq!(chat.version, 1);
        assert!(chat.remove(2, 2));
        assert!(chat.remove(3, 1));
        assert!(!chat.remove(3, 1), "not a member any more");
        assert_eq!(chat.membership(2), Membership::Left);
        assert_eq!(chat.membership(3), Membership::Kicked);
        assert_eq!(chat.membership(9), Membership::Stranger);
        assert!(chat.add(3, 1, 11));
        assert!(!chat.add(3, 1, 11), "already in");
        assert_eq!(chat.membership(3), Membership::Member);
        assert_eq!(chat.version, 4);
        assert_eq!(chat.participant(3).map(|p| p.inviter_id), Some(1));
    }

    #[test]
    fn world_groups_get_ids_in_file_order() {
        let world = World::parse(
            "[[account]]\nname=\"a\"\nphone=\"9996621111\"\nfirst_name=\"A\"\n\
             [[account]]\nname=\"b\"\nphone=\"9996621112\"\nfirst_name=\"B\"\n\
             [[group]]\ntitle=\"g1\"\ncreator=\"a\"\nmembers=[\"a\",\"b\"]\n\
             [[group]]\ntitle=\"g2\"\ncreator=\"b\"\nmembers=[\"b\"]\n",
            "t.toml",
        )
        .unwrap();
        let mut chats = Chats::from_world(&world, 5);
        let g1 = chats.get(world_chat_id(0)).unwrap();
        assert_eq!((g1.title.as_str(), g1.creator), ("g1", 1_000_001));
        assert_eq!(g1.member_ids(), vec![1_000_001, 1_000_002]);
        assert_eq!(chats.get(world_chat_id(1)).unwrap().title, "g2");
        let next = chats.create("new", 1_000_001, &[], 6).id;
        assert_eq!(next, world_chat_id(2));
    }
}
