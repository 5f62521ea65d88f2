//! `InputPeer` forms where an `InputUser` or `InputChannel` is expected, as
//! Pyrogram's forks send them and Telegram reads them
//! ([`write::input_alias`], [`input_peers_as_inputs`]).

use hearth_tl::{enums, functions, types, Deserializable, Identifiable, Serializable};

use super::*;

/// `method`'s id followed by `peer`: a call whose one parameter is an
/// `InputUser` or `InputChannel`, sent with an `InputPeer` instead.
fn call_with_peer(method: u32, peer: enums::InputPeer) -> Vec<u8> {
    let mut body = method.to_le_bytes().to_vec();
    peer.serialize(&mut body);
    body
}

fn peer_user() -> enums::InputPeer {
    enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 1_000_002,
        access_hash: -77,
    })
}

#[test]
fn get_full_user_with_an_input_peer_reads_as_an_input_user() {
    let body = call_with_peer(functions::users::GetFullUser::CONSTRUCTOR_ID, peer_user());
    assert!(functions::users::GetFullUser::from_bytes(&body).is_err());
    let fixed = input_peers_as_inputs(&body).expect("rewritten");
    let call = functions::users::GetFullUser::from_bytes(&fixed).expect("now readable");
    match call.id {
        enums::InputUser::InputUser(u) => assert_eq!((u.user_id, u.access_hash), (1_000_002, -77)),
        other => panic!("inputUser, got {other:?}"),
    }

    let me = call_with_peer(
        functions::users::GetFullUser::CONSTRUCTOR_ID,
        enums::InputPeer::InputPeerSelf,
    );
    let call = functions::users::GetFullUser::from_bytes(&input_peers_as_inputs(&me).unwrap())
        .expect("readable");
    assert!(matches!(call.id, enums::InputUser::InputUserSelf));
}

#[test]
fn get_full_channel_with_an_input_peer_reads_as_an_input_channel() {
    let peer = enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: 1_500_000_001,
        access_hash: 5,
    });
    let body = call_with_peer(functions::channels::GetFullChannel::CONSTRUCTOR_ID, peer);
    let fixed = input_peers_as_inputs(&body).expect("rewritten");
    let call = functions::channels::GetFullChannel::from_bytes(&fixed).expect("readable");
    match call.channel {
        enums::InputChannel::InputChannel(c) => {
            assert_eq!((c.channel_id, c.access_hash), (1_500_000_001, 5))
        }
        other => panic!("inputChannel, got {other:?}"),
    }
}

#[test]
fn an_old_layers_input_peer_is_rewritten_on_the_way_to_the_current_one() {
    // pyrofork 2.3.69 speaks layer 220; its get_chat sends this.
    let old = schema_for(Some(220)).expect("layer 220 is stored");
    let id = old.function_named("users.getFullUser").expect("in 220").id;
    let (current, method) = request_to_current(old, &call_with_peer(id, peer_user())).unwrap();
    assert_eq!(method, "users.getFullUser");
    let call = functions::users::GetFullUser::from_bytes(&current).expect("readable");
    assert!(matches!(call.id, enums::InputUser::InputUser(_)));
}

#[test]
fn well_formed_and_unrelated_requests_are_left_alone() {
    let good = functions::users::GetFullUser {
        id: enums::InputUser::InputUserSelf,
    }
    .to_bytes();
    assert_eq!(input_peers_as_inputs(&good), None);
    // An InputPeer where an InputPeer belongs stays as it is.
    let history = functions::messages::GetHistory {
        peer: peer_user(),
        offset_id: 0,
        offset_date: 0,
        add_offset: 0,
        limit: 10,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
    .to_bytes();
    assert_eq!(input_peers_as_inputs(&history), None);
    // A peer with no InputUser form (a basic group) is not invented one.
    let chat = call_with_peer(
        functions::users::GetFullUser::CONSTRUCTOR_ID,
        enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id: 4_000_001 }),
    );
    let out = input_peers_as_inputs(&chat);
    assert!(out.is_none_or(|b| functions::users::GetFullUser::from_bytes(&b).is_err()));
    for garbage in [&[][..], &[1, 2, 3], &[0xff; 40]] {
        assert_eq!(input_peers_as_inputs(garbage), None);
    }
}
