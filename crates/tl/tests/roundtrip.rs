//! Property tests: serialize -> deserialize returns the value, for a
//! representative set of generated and hand-written types.

mod fixtures;

use hearth_tl::mtproto::{enums as mt_enums, special, types as mt_types};
use hearth_tl::{enums, types, Deserializable, Serializable};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn round_trip<T: Serializable + Deserializable + PartialEq + std::fmt::Debug>(
    value: T,
) -> Result<(), TestCaseError> {
    let bytes = value.to_bytes();
    prop_assert_eq!(bytes.len() % 4, 0);
    prop_assert_eq!(T::from_bytes(&bytes), Ok(value));
    Ok(())
}

fn input_peer() -> impl Strategy<Value = enums::InputPeer> {
    let leaf = prop_oneof![
        Just(enums::InputPeer::InputPeerEmpty),
        Just(enums::InputPeer::InputPeerSelf),
        any::<i64>().prop_map(|chat_id| types::InputPeerChat { chat_id }.into()),
        (any::<i64>(), any::<i64>()).prop_map(|(user_id, access_hash)| types::InputPeerUser {
            user_id,
            access_hash
        }
        .into()),
        (any::<i64>(), any::<i64>()).prop_map(|(channel_id, access_hash)| {
            types::InputPeerChannel {
                channel_id,
                access_hash,
            }
            .into()
        }),
    ];
    leaf.prop_recursive(4, 16, 1, |inner| {
        prop_oneof![
            (inner.clone(), any::<i32>(), any::<i64>()).prop_map(|(peer, msg_id, user_id)| {
                types::InputPeerUserFromMessage {
                    peer: Box::new(peer),
                    msg_id,
                    user_id,
                }
                .into()
            }),
            (inner, any::<i32>(), any::<i64>()).prop_map(|(peer, msg_id, channel_id)| {
                types::InputPeerChannelFromMessage {
                    peer: Box::new(peer),
                    msg_id,
                    channel_id,
                }
                .into()
            }),
        ]
    })
}

fn rich_text() -> impl Strategy<Value = enums::RichText> {
    let leaf = prop_oneof![
        Just(enums::RichText::TextEmpty),
        ".{0,30}".prop_map(|text| types::TextPlain { text }.into()),
    ];
    leaf.prop_recursive(5, 32, 4, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|t| types::TextBold { text: Box::new(t) }.into()),
            vec(inner.clone(), 0..4).prop_map(|texts| types::TextConcat { texts }.into()),
            (inner, ".{0,20}", any::<i64>()).prop_map(|(t, url, webpage_id)| types::TextUrl {
                text: Box::new(t),
                url,
                webpage_id
            }
            .into()),
        ]
    })
}

fn entity() -> impl Strategy<Value = enums::MessageEntity> {
    prop_oneof![
        (any::<i32>(), any::<i32>()).prop_map(|(offset, length)| types::MessageEntityBold {
            offset,
            length
        }
        .into()),
        (any::<i32>(), any::<i32>(), ".{0,40}").prop_map(|(offset, length, url)| {
            types::MessageEntityTextUrl {
                offset,
                length,
                url,
            }
            .into()
        }),
        (any::<i32>(), any::<i32>(), any::<i64>()).prop_map(|(offset, length, user_id)| {
            types::MessageEntityMentionName {
                offset,
                length,
                user_id,
            }
            .into()
        }),
        (any::<i32>(), any::<i32>(), "[a-z]{0,10}").prop_map(|(offset, length, language)| {
            types::MessageEntityPre {
                offset,
                length,
                language,
            }
            .into()
        }),
    ]
}

fn code_settings() -> impl Strategy<Value = types::CodeSettings> {
    (
        any::<[bool; 6]>(),
        option::of(vec(vec(any::<u8>(), 0..300), 0..3)),
        // token and app_sandbox share flags.8: present together or not at all.
        option::of((".{0,20}", any::<bool>())),
    )
        .prop_map(|(b, logout_tokens, token)| types::CodeSettings {
            allow_flashcall: b[0],
            current_number: b[1],
            allow_app_hash: b[2],
            allow_missed_call: b[3],
            allow_firebase: b[4],
            unknown_number: b[5],
            logout_tokens,
            token: token.as_ref().map(|t| t.0.clone()),
            app_sandbox: token.map(|t| t.1),
        })
}

fn user() -> impl Strategy<Value = types::User> {
    (
        any::<i64>(),
        any::<[bool; 8]>(),
        option::of(any::<i64>()),
        option::of(".{0,20}"),
        option::of(any::<i32>()),
        option::of(vec("[a-z_]{5,12}", 0..3)),
        option::of(any::<i64>()),
        option::of(any::<i32>()),
    )
        .prop_map(
            |(id, b, access_hash, first_name, bot_info_version, usernames, linked, was_online)| {
                let mut u = fixtures::bare_user(id);
                u.self_ = b[0];
                u.contact = b[1];
                u.premium = b[2];
                u.close_friend = b[3];
                u.bot_guard = b[4];
                u.stories_hidden = b[5];
                u.min = b[6];
                u.verified = b[7];
                u.access_hash = access_hash;
                u.first_name = first_name;
                // bot:flags.14?true shares its bit with bot_info_version.
                u.bot = bot_info_version.is_some();
                u.bot_info_version = bot_info_version;
                u.usernames = usernames.map(|names| {
                    names
                        .into_iter()
                        .map(|username| {
                            types::Username {
                                editable: true,
                                active: false,
                                username,
                            }
                            .into()
                        })
                        .collect()
                });
                u.linked_community_id = linked;
                u.status =
                    was_online.map(|was_online| types::UserStatusOffline { was_online }.into());
                u
            },
        )
}

fn sent_code() -> impl Strategy<Value = enums::auth::SentCode> {
    (
        1..10i32,
        "[a-f0-9]{0,20}",
        any::<bool>(),
        option::of(any::<i32>()),
    )
        .prop_map(|(length, hash, sms, timeout)| {
            types::auth::SentCode {
                type_: types::auth::SentCodeTypeApp { length }.into(),
                phone_code_hash: hash,
                next_type: sms.then_some(enums::auth::CodeType::CodeTypeSms),
                timeout,
            }
            .into()
        })
}

fn container() -> impl Strategy<Value = special::MsgContainer> {
    vec(
        (any::<i64>(), any::<i32>(), vec(any::<[u8; 4]>(), 0..8)),
        0..5,
    )
    .prop_map(|messages| special::MsgContainer {
        messages: messages
            .into_iter()
            .map(|(msg_id, seqno, words)| special::Message {
                msg_id,
                seqno,
                body: words.concat(),
            })
            .collect(),
    })
}

proptest! {
    #[test]
    fn input_peer_round_trip(v in input_peer()) { round_trip(v)?; }

    #[test]
    fn rich_text_round_trip(v in rich_text()) { round_trip(v)?; }

    #[test]
    fn entities_round_trip(v in vec(entity(), 0..10)) { round_trip(v)?; }

    #[test]
    fn code_settings_round_trip(v in code_settings()) { round_trip(v)?; }

    #[test]
    fn user_round_trip(v in user()) { round_trip(v)?; }

    #[test]
    fn sent_code_round_trip(v in sent_code()) { round_trip(v)?; }

    #[test]
    fn res_pq_round_trip(nonce: [u8; 16], server_nonce: [u8; 16], pq in vec(any::<u8>(), 0..300), fps in vec(any::<i64>(), 0..4)) {
        round_trip(mt_enums::ResPq::ResPq(mt_types::ResPq { nonce, server_nonce, pq, server_public_key_fingerprints: fps }))?;
    }

    #[test]
    fn bad_msg_round_trip(bad_msg_id: i64, bad_msg_seqno: i32, error_code: i32, new_server_salt: i64) {
        round_trip(mt_enums::BadMsgNotification::BadServerSalt(mt_types::BadServerSalt { bad_msg_id, bad_msg_seqno, error_code, new_server_salt }))?;
        round_trip(mt_enums::BadMsgNotification::BadMsgNotification(mt_types::BadMsgNotification { bad_msg_id, bad_msg_seqno, error_code }))?;
    }

    #[test]
    fn rpc_error_round_trip(error_code: i32, error_message in ".{0,300}") {
        round_trip(mt_enums::RpcError::RpcError(mt_types::RpcError { error_code, error_message }))?;
    }

    #[test]
    fn container_round_trip(v in container()) { round_trip(v)?; }

    #[test]
    fn future_salts_round_trip(req_msg_id: i64, now: i32, salts in vec(any::<(i32, i32, i64)>(), 0..6)) {
        round_trip(special::FutureSalts {
            req_msg_id,
            now,
            salts: salts.into_iter().map(|(valid_since, valid_until, salt)| special::FutureSalt { valid_since, valid_until, salt }).collect(),
        })?;
    }

    #[test]
    fn gzip_packed_objects_unpack_once_then_decode(v in input_peer()) {
        let packed = special::GzipPacked::pack(&v.to_bytes()).to_bytes();
        let unpacked = special::unpack_object(&packed).expect("unpacks");
        prop_assert_eq!(enums::InputPeer::from_bytes(&unpacked), Ok(v));
        // Never in place of a value.
        let refused = matches!(
            enums::InputPeer::from_bytes(&packed),
            Err(hearth_tl::DeserializeError::GzipNotAllowed { expected: "InputPeer" })
        );
        prop_assert!(refused);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..512)) {
        let _ = enums::InputPeer::from_bytes(&bytes);
        let _ = enums::RichText::from_bytes(&bytes);
        let _ = types::User::from_bytes(&bytes);
        let _ = special::MsgContainer::from_bytes(&bytes);
    }
}
