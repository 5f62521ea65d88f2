//! Generated types: wire format, flags, namespaces, generics, errors.

mod fixtures;

use hearth_tl::mtproto::{functions as mt_functions, types as mt_types};
use hearth_tl::{
    api_function_id, enums, functions, name_for_id, types, Cursor, Deserializable,
    DeserializeError, Identifiable, RawQuery, RemoteCall, Serializable, LAYER, MAX_DEPTH,
};

#[test]
fn req_pq_multi_known_answer() {
    let nonce: [u8; 16] = core::array::from_fn(|i| i as u8 + 1);
    let bytes = mt_functions::ReqPqMulti { nonce }.to_bytes();
    assert_eq!(&bytes[..4], &[0xf1, 0x8e, 0x7e, 0xbe]);
    assert_eq!(&bytes[4..], &nonce);
    assert_eq!(
        mt_functions::ReqPqMulti::from_bytes(&bytes),
        Ok(mt_functions::ReqPqMulti { nonce })
    );
}

#[test]
fn res_pq_known_answer() {
    // resPQ as in core.telegram.org/mtproto/samples-auth_key: pq = 0x17ED48941A08F981.
    let nonce = [0x3e; 16];
    let server_nonce = [0xa5; 16];
    let mut wire = vec![0x63, 0x24, 0x16, 0x05];
    wire.extend_from_slice(&nonce);
    wire.extend_from_slice(&server_nonce);
    wire.extend_from_slice(&[8, 0x17, 0xed, 0x48, 0x94, 0x1a, 0x08, 0xf9, 0x81, 0, 0, 0]);
    wire.extend_from_slice(&[0x15, 0xc4, 0xb5, 0x1c, 1, 0, 0, 0]);
    wire.extend_from_slice(&0xc3b42b026ce86b21u64.to_le_bytes());
    let expected = hearth_tl::mtproto::enums::ResPq::ResPq(mt_types::ResPq {
        nonce,
        server_nonce,
        pq: vec![0x17, 0xed, 0x48, 0x94, 0x1a, 0x08, 0xf9, 0x81],
        server_public_key_fingerprints: vec![0xc3b42b026ce86b21u64 as i64],
    });
    assert_eq!(
        hearth_tl::mtproto::enums::ResPq::from_bytes(&wire),
        Ok(expected.clone())
    );
    assert_eq!(expected.to_bytes(), wire);
}

#[test]
fn ping_and_input_peer_known_answers() {
    assert_eq!(
        mt_functions::Ping {
            ping_id: 0x0102030405060708
        }
        .to_bytes(),
        [0xec, 0x77, 0xbe, 0x7a, 8, 7, 6, 5, 4, 3, 2, 1]
    );
    let peer = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 5,
        access_hash: -1,
    });
    let mut expected = vec![0x4c, 0xa5, 0xe8, 0xdd, 5, 0, 0, 0, 0, 0, 0, 0];
    expected.extend_from_slice(&[0xff; 8]);
    assert_eq!(peer.to_bytes(), expected);
    assert_eq!(
        enums::InputPeer::InputPeerEmpty.to_bytes(),
        0x7f3b18eau32.to_le_bytes()
    );
}

#[test]
fn constructor_ids_match_the_schema() {
    let api =
        hearth_tl_parser::parse(include_str!("../../../schema/api.tl")).expect("api.tl parses");
    let mt = hearth_tl_parser::parse(include_str!("../../../schema/mtproto.tl"))
        .expect("mtproto.tl parses");
    let id_of = |schema: &hearth_tl_parser::Schema, name: &str| {
        schema
            .definitions
            .iter()
            .find(|d| d.full_name() == name)
            .map(|d| d.id)
    };
    assert_eq!(
        id_of(&mt, "req_pq_multi"),
        Some(mt_functions::ReqPqMulti::CONSTRUCTOR_ID)
    );
    assert_eq!(id_of(&mt, "resPQ"), Some(mt_types::ResPq::CONSTRUCTOR_ID));
    assert_eq!(
        id_of(&mt, "rpc_error"),
        Some(mt_types::RpcError::CONSTRUCTOR_ID)
    );
    assert_eq!(
        id_of(&api, "auth.sendCode"),
        Some(functions::auth::SendCode::CONSTRUCTOR_ID)
    );
    assert_eq!(
        id_of(&api, "auth.sentCode"),
        Some(types::auth::SentCode::CONSTRUCTOR_ID)
    );
    assert_eq!(id_of(&api, "message"), Some(types::Message::CONSTRUCTOR_ID));
    assert_eq!(
        id_of(&api, "invokeWithLayer"),
        Some(functions::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID)
    );
    // Every id of both schemas has its name.
    for schema in [&api, &mt] {
        for def in schema
            .definitions
            .iter()
            .filter(|d| !d.builtin || d.name == "vector")
        {
            let name = name_for_id(def.id).expect("every id is named");
            let same = name == def.full_name() || (def.name == "vector" && name == "vector");
            assert!(
                same || api
                    .definitions
                    .iter()
                    .chain(&mt.definitions)
                    .any(|d| d.id == def.id && d.full_name() == name)
            );
        }
    }
    assert_eq!(api.layer, Some(LAYER));
}

#[test]
fn name_for_id_covers_special_and_unknown_ids() {
    assert_eq!(name_for_id(0xbe7e8ef1), Some("req_pq_multi"));
    assert_eq!(name_for_id(0x1cb5c415), Some("vector"));
    assert_eq!(name_for_id(0xf35c6d01), Some("rpc_result"));
    assert_eq!(name_for_id(0x5bb8e511), Some("message"));
    assert_eq!(name_for_id(0x3072cfa1), Some("gzip_packed"));
    assert_eq!(name_for_id(0x997275b5), Some("boolTrue"));
    assert_eq!(name_for_id(0xa677244f), Some("auth.sendCode"));
    assert_eq!(name_for_id(0xdeadbeef), None);
    assert_eq!(LAYER, 229);
}

#[test]
fn api_function_ids_by_name() {
    assert_eq!(
        api_function_id("messages.sendMessage"),
        Some(functions::messages::SendMessage::CONSTRUCTOR_ID)
    );
    assert_eq!(
        api_function_id("invokeWithLayer"),
        Some(functions::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID)
    );
    assert_eq!(api_function_id("messages.noSuchMethod"), None);
    assert_eq!(api_function_id(""), None);
    // Constructors and mtproto.tl's functions are not api.tl functions.
    assert_eq!(api_function_id("auth.sentCode"), None);
    assert_eq!(api_function_id("req_pq_multi"), None);
    // Every function of api.tl, looked up by name, gives back its own id.
    let api = hearth_tl_parser::parse(include_str!("../../../schema/api.tl")).expect("parses");
    let functions: Vec<_> = api
        .definitions
        .iter()
        .filter(|d| d.category == hearth_tl_parser::Category::Functions)
        .collect();
    assert!(functions.len() > 500, "{}", functions.len());
    for def in functions {
        assert_eq!(
            api_function_id(&def.full_name()),
            Some(def.id),
            "{}",
            def.full_name()
        );
    }
}

#[test]
fn several_flag_words() {
    let mut user = fixtures::bare_user(42);
    user.self_ = true; // flags.10
    user.access_hash = Some(7); // flags.0
    user.bot_can_edit = true; // flags2.1
    user.usernames = Some(vec![]); // flags2.0
    user.bot_active_users = Some(3); // flags2.12
    let bytes = user.to_bytes();
    assert_eq!(&bytes[..4], &types::User::CONSTRUCTOR_ID.to_le_bytes());
    assert_eq!(&bytes[4..8], &((1u32 << 10) | 1).to_le_bytes());
    assert_eq!(&bytes[8..12], &((1u32 << 1) | 1 | (1 << 12)).to_le_bytes());
    assert_eq!(&bytes[12..20], &42i64.to_le_bytes());
    assert_eq!(&bytes[20..28], &7i64.to_le_bytes());
    assert_eq!(types::User::from_bytes(&bytes), Ok(user));
}

#[test]
fn true_flags_take_no_bytes() {
    let settings = types::CodeSettings {
        allow_flashcall: true,
        current_number: false,
        allow_app_hash: true,
        allow_missed_call: false,
        allow_firebase: false,
        unknown_number: false,
        logout_tokens: None,
        token: None,
        app_sandbox: None,
    };
    let bytes = settings.to_bytes();
    assert_eq!(bytes.len(), 8);
    assert_eq!(&bytes[4..], &(1u32 | 1 << 4).to_le_bytes());
    assert_eq!(
        types::CodeSettings::from_bytes(&bytes),
        Ok(settings.clone())
    );

    // Optional Bool and a Vector<bytes> sharing flag words with `true` flags.
    let full = types::CodeSettings {
        token: Some("t".into()),
        app_sandbox: Some(false),
        logout_tokens: Some(vec![vec![1]]),
        ..settings
    };
    let back = types::CodeSettings::from_bytes(&full.to_bytes());
    assert_eq!(back, Ok(full));
}

#[test]
fn shared_flag_bit_is_set_by_either_field() {
    // inputMediaUploadedPhoto: live_photo:flags.3?true and video:flags.3?InputDocument.
    let media = types::InputMediaUploadedPhoto {
        spoiler: false,
        live_photo: true,
        file: enums::InputFile::InputFileBig(types::InputFileBig {
            id: 1,
            parts: 2,
            name: "a".into(),
        }),
        stickers: None,
        ttl_seconds: None,
        video: Some(enums::InputDocument::InputDocumentEmpty),
    };
    let bytes = media.to_bytes();
    assert_eq!(&bytes[4..8], &(1u32 << 3).to_le_bytes());
    assert_eq!(
        types::InputMediaUploadedPhoto::from_bytes(&bytes),
        Ok(media)
    );
}

#[test]
fn nested_namespaced_types() {
    let sent = enums::auth::SentCode::SentCode(types::auth::SentCode {
        type_: enums::auth::SentCodeType::SentCodeTypeApp(types::auth::SentCodeTypeApp {
            length: 5,
        }),
        phone_code_hash: "abcdef".into(),
        next_type: Some(enums::auth::CodeType::CodeTypeSms),
        timeout: Some(60),
    });
    let bytes = sent.to_bytes();
    assert_eq!(&bytes[..4], &0x5e002502u32.to_le_bytes());
    assert_eq!(&bytes[4..8], &(1u32 << 1 | 1 << 2).to_le_bytes());
    assert_eq!(&bytes[8..12], &0x3dbb5986u32.to_le_bytes());
    assert_eq!(enums::auth::SentCode::from_bytes(&bytes), Ok(sent));
}

fn returns<R: RemoteCall<Return = T>, T>(_: &R) {}

#[test]
fn functions_round_trip_and_declare_returns() {
    let send = functions::auth::SendCode {
        phone_number: "+10000000000".into(),
        api_id: 4,
        api_hash: "0123456789abcdef".into(),
        settings: enums::CodeSettings::CodeSettings(types::CodeSettings {
            allow_flashcall: false,
            current_number: true,
            allow_app_hash: false,
            allow_missed_call: false,
            allow_firebase: false,
            unknown_number: false,
            logout_tokens: None,
            token: None,
            app_sandbox: None,
        }),
    };
    assert_eq!(
        functions::auth::SendCode::from_bytes(&send.to_bytes()),
        Ok(send.clone())
    );
    returns::<_, enums::auth::SentCode>(&send);
    returns::<_, bool>(&functions::account::UpdateStatus { offline: true });
    returns::<_, Vec<enums::User>>(&functions::users::GetUsers { id: vec![] });
    returns::<_, hearth_tl::mtproto::special::FutureSalts>(&mt_functions::GetFutureSalts {
        num: 3,
    });
    assert_eq!(
        functions::account::UpdateStatus { offline: true }.to_bytes()[4..],
        true.to_bytes()
    );
}

#[test]
fn generic_queries() {
    let init = functions::InitConnection {
        api_id: 1,
        device_model: "pc".into(),
        system_version: "linux".into(),
        app_version: "0.1".into(),
        system_lang_code: "en".into(),
        lang_pack: "".into(),
        lang_code: "en".into(),
        proxy: Some(enums::InputClientProxy::InputClientProxy(
            types::InputClientProxy {
                address: "127.0.0.1".into(),
                port: 1,
            },
        )),
        params: None,
        query: functions::help::GetConfig {},
    };
    let call = functions::InvokeWithLayer {
        layer: LAYER,
        query: init.clone(),
    };
    returns::<_, enums::Config>(&call);
    let bytes = call.to_bytes();
    assert_eq!(&bytes[..4], &0xda9b0d0du32.to_le_bytes());
    assert_eq!(&bytes[4..8], &229i32.to_le_bytes());
    assert_eq!(&bytes[8..12], &0xc1cd5ea9u32.to_le_bytes());
    assert_eq!(&bytes[12..16], &1u32.to_le_bytes(), "flags: proxy");
    assert_eq!(&bytes[bytes.len() - 4..], &0xc4f9186bu32.to_le_bytes());

    // Typed decode of the whole chain.
    type Chain = functions::InvokeWithLayer<functions::InitConnection<functions::help::GetConfig>>;
    assert_eq!(Chain::from_bytes(&bytes), Ok(call.clone()));

    // Server side: keep the inner query raw, then decode it step by step.
    let outer = functions::InvokeWithLayer::<RawQuery>::from_bytes(&bytes).expect("outer decodes");
    assert_eq!(outer.layer, 229);
    assert_eq!(
        outer.query.constructor_id(),
        Some(functions::InitConnection::<RawQuery>::CONSTRUCTOR_ID)
    );
    let inner =
        functions::InitConnection::<RawQuery>::from_bytes(&outer.query.0).expect("inner decodes");
    assert_eq!(inner.proxy, init.proxy);
    assert_eq!(inner.query.0, functions::help::GetConfig {}.to_bytes());
    // Re-serializing the raw form gives the same bytes.
    assert_eq!(outer.to_bytes(), bytes);
}

#[test]
fn unknown_constructors_are_typed_errors() {
    let err = enums::InputPeer::from_bytes(&0xdeadbeefu32.to_le_bytes());
    assert_eq!(
        err,
        Err(DeserializeError::UnexpectedConstructor {
            id: 0xdeadbeef,
            expected: "InputPeer"
        })
    );
    let err = types::InputPeerUser::from_bytes(&0x7f3b18eau32.to_le_bytes());
    assert_eq!(
        err,
        Err(DeserializeError::UnexpectedConstructor {
            id: 0x7f3b18ea,
            expected: "inputPeerUser"
        })
    );
    let message = err.expect_err("error").to_string();
    assert!(message.contains("inputPeerEmpty"), "{message}");
    let err = functions::auth::SendCode::from_bytes(&0x7f3b18eau32.to_le_bytes());
    assert!(matches!(
        err,
        Err(DeserializeError::UnexpectedConstructor {
            expected: "auth.sendCode",
            ..
        })
    ));
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = fixtures::messages(6).to_bytes();
    for cut in 0..bytes.len() {
        assert_eq!(
            enums::messages::Messages::from_bytes(&bytes[..cut]),
            Err(DeserializeError::UnexpectedEof),
            "cut at {cut}"
        );
    }
    assert_eq!(
        enums::messages::Messages::from_bytes(&bytes),
        Ok(fixtures::messages(6))
    );
}

#[test]
fn realistic_messages_round_trip() {
    let value = fixtures::messages(100);
    let bytes = value.to_bytes();
    let mut cursor = Cursor::new(&bytes);
    assert_eq!(
        enums::messages::Messages::deserialize(&mut cursor),
        Ok(value)
    );
    assert_eq!(cursor.remaining(), 0);
}

#[test]
fn deep_recursion_is_refused() {
    fn nested(depth: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        for _ in 0..depth {
            bytes.extend_from_slice(&0x6724abc4u32.to_le_bytes()); // textBold
        }
        bytes.extend_from_slice(&0xdc3d824fu32.to_le_bytes()); // textEmpty
        bytes
    }
    assert!(enums::RichText::from_bytes(&nested(MAX_DEPTH - 1)).is_ok());
    assert_eq!(
        enums::RichText::from_bytes(&nested(100_000)),
        Err(DeserializeError::TooDeep { limit: MAX_DEPTH })
    );
}

/// The deepest input the depth limit lets through must decode within a test
/// thread's default 2 MiB stack even in unoptimised builds, through the
/// largest recursive types (`messageMediaStory` <-> `storyItem`).
#[test]
fn depth_limit_fits_the_stack() {
    fn story_chain(levels: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        for _ in 0..levels {
            bytes.extend_from_slice(&0x68cb6283u32.to_le_bytes()); // messageMediaStory
            bytes.extend_from_slice(&1u32.to_le_bytes()); // flags: story
            bytes.extend_from_slice(&types::PeerUser { user_id: 1 }.to_bytes());
            bytes.extend_from_slice(&7i32.to_le_bytes()); // id
            bytes.extend_from_slice(&0x16a4b93cu32.to_le_bytes()); // storyItem
            bytes.extend_from_slice(&0u32.to_le_bytes()); // flags
            bytes.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]); // id, date, expire_date
        }
        bytes.extend_from_slice(&0x3ded6320u32.to_le_bytes()); // messageMediaEmpty
        bytes
    }
    let within = story_chain(MAX_DEPTH / 2 - 1);
    let deep = story_chain(MAX_DEPTH);
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            (
                enums::MessageMedia::from_bytes(&within).is_ok(),
                enums::MessageMedia::from_bytes(&deep),
            )
        })
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    assert!(result.0, "nesting within the limit decodes");
    assert_eq!(
        result.1,
        Err(DeserializeError::TooDeep { limit: MAX_DEPTH })
    );
}

/// `msgs_state_info.info` and `msgs_all_info.info` are TL `string`s holding
/// one status byte per message id; bytes ≥ 0x80 (invalid UTF-8 on their own)
/// must survive a round trip.
#[test]
fn state_info_strings_keep_raw_bytes() {
    let info = vec![0x04, 0x80, 0xff, 0xc3, 0x01];
    let state = mt_types::MsgsStateInfo {
        req_msg_id: 0x1234_5678_9abc_def0,
        info: info.clone(),
    };
    let wire = state.to_bytes();
    // Constructor, req_msg_id, then TL bytes: length prefix 5, the bytes, padding.
    assert_eq!(&wire[12..18], &[5, 0x04, 0x80, 0xff, 0xc3, 0x01]);
    assert_eq!(mt_types::MsgsStateInfo::from_bytes(&wire), Ok(state));

    let all = mt_types::MsgsAllInfo {
        msg_ids: vec![1, 2, 3, 4, 5],
        info: info.clone(),
    };
    let decoded = mt_types::MsgsAllInfo::from_bytes(&all.to_bytes()).expect("decodes");
    assert_eq!(decoded.info, info);
}
