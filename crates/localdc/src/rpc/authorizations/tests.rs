//! Sans-IO tests of the authorization methods: a `ServerState` and calls
//! through `rpc::call`, with temporary keys bound to permanent ones.

use super::*;
use crate::rpc::call;
use crate::rpc::tl::new_hash;
use crate::state::ServerState;
use crate::store::AuthorizationRow;
use hearth_crypto::AuthKey;
use hearth_tl::enums;
use hearth_tl::Deserializable;

const ALICE: i64 = 1_000_001;

fn state() -> ServerState {
    crate::test_support::demo_state(1..=5)
}

/// Adds a permanent key on DC 2 (signed in as `user`, if any) and returns its id.
fn perm_key(state: &ServerState, fill: u8, user: Option<i64>) -> u64 {
    let key = AuthKey::from_bytes([fill; 256]);
    let store = state.store();
    store.insert_key(&key, 2, None).expect("insert");
    if let Some(u) = user {
        store
            .sign_in(key.key_id(), u, new_hash(), 1)
            .expect("sign in");
    }
    key.key_id()
}

/// Adds a temporary key bound to `perm` and returns its id.
fn temp_key(state: &ServerState, fill: u8, perm: u64) -> u64 {
    let key = AuthKey::from_bytes([fill; 256]);
    let store = state.store();
    store.insert_key(&key, 2, Some(i64::MAX)).expect("insert");
    store.bind(key.key_id(), perm).expect("bind");
    key.key_id()
}

fn ctx(state: &ServerState, key_id: u64) -> RpcCtx<'_> {
    RpcCtx {
        state,
        dc_id: 2,
        media_only: false,
        key_id,
        session_id: 1,
        msg_id: 0,
    }
}

fn list(state: &ServerState, key: u64) -> types::account::Authorizations {
    let body = call(
        &mut ctx(state, key),
        &functions::account::GetAuthorizations {}.to_bytes(),
    )
    .expect("account.authorizations");
    let enums::account::Authorizations::Authorizations(a) =
        enums::account::Authorizations::from_bytes(&body).expect("decodes");
    a
}

#[test]
fn hashes_are_nonzero_and_distinct() {
    let (a, b) = (new_hash(), new_hash());
    assert!(a != 0 && b != 0 && a != b);
}

#[test]
fn current_authorization_hides_its_hash() {
    let row = AuthorizationRow {
        key_id: 1,
        dc: 2,
        hash: 77,
        info: ClientInfo {
            api_id: 5,
            device_model: "PC".into(),
            ..ClientInfo::default()
        },
        date_created: 10,
        date_active: 20,
    };
    let world = state().world;
    let enums::Authorization::Authorization(cur) = tl_authorization(&world, &row, true);
    assert!(cur.current);
    assert_eq!(cur.hash, 0);
    let enums::Authorization::Authorization(other) = tl_authorization(&world, &row, false);
    assert!(!other.current);
    assert_eq!((other.hash, other.api_id, other.date_active), (77, 5, 20));
    assert_eq!(
        other.app_name, "Unknown app (api_id 5)",
        "5 is not registered"
    );
    let registered = AuthorizationRow {
        info: ClientInfo {
            api_id: 1,
            ..ClientInfo::default()
        },
        ..row.clone()
    };
    let enums::Authorization::Authorization(hearth) = tl_authorization(&world, &registered, true);
    assert_eq!(
        hearth.app_name, "Hearth",
        "the demo world registers api_id 1"
    );
    assert_eq!(
        (other.device_model.as_str(), other.ip.as_str()),
        ("PC", "127.0.0.1")
    );
}

#[test]
fn a_bound_temporary_key_follows_its_permanent_key_out() {
    let state = state();
    let perm = perm_key(&state, 1, Some(ALICE));
    let temp = temp_key(&state, 2, perm);
    assert_eq!(ctx(&state, temp).user_id(), Some(ALICE));
    // initConnection on the temporary key describes the permanent one.
    let init = functions::InvokeWithLayer {
        layer: 229,
        query: functions::InitConnection {
            api_id: 7,
            device_model: "Tablet".into(),
            system_version: "OS".into(),
            app_version: "2".into(),
            system_lang_code: "de".into(),
            lang_pack: String::new(),
            lang_code: "de".into(),
            proxy: None,
            params: None,
            query: RawQuery(functions::account::GetAuthorizations {}.to_bytes()),
        },
    };
    call(&mut ctx(&state, temp), &init.to_bytes()).expect("answered");
    let mine = list(&state, temp);
    let [enums::Authorization::Authorization(a)] = &mine.authorizations[..] else {
        panic!("one authorization: the permanent key")
    };
    assert!(a.current);
    assert_eq!((a.device_model.as_str(), a.api_id), ("Tablet", 7));

    let out = call(
        &mut ctx(&state, temp),
        &functions::auth::LogOut {}.to_bytes(),
    )
    .expect("loggedOut");
    assert!(matches!(
        enums::auth::LoggedOut::from_bytes(&out),
        Ok(enums::auth::LoggedOut::LoggedOut(_))
    ));
    for key in [perm, temp] {
        let err = call(
            &mut ctx(&state, key),
            &functions::account::GetAuthorizations {}.to_bytes(),
        )
        .expect_err("signed out");
        assert_eq!(
            (err.code, err.message.as_str()),
            (401, "AUTH_KEY_UNREGISTERED")
        );
    }
}

#[test]
fn resetting_an_authorization_ends_the_temporary_keys_bound_to_it() {
    let state = state();
    let mine = perm_key(&state, 1, Some(ALICE));
    let other = perm_key(&state, 2, Some(ALICE));
    let other_temp = temp_key(&state, 3, other);
    let bob = perm_key(&state, 4, Some(ALICE + 1));
    let listed = list(&state, mine);
    assert_eq!(listed.authorizations.len(), 2, "bob's key is not listed");
    let hash = listed
        .authorizations
        .iter()
        .map(|enums::Authorization::Authorization(a)| a)
        .find(|a| !a.current)
        .map(|a| a.hash)
        .expect("the other key");
    let reset = functions::account::ResetAuthorization { hash };
    let ok = call(&mut ctx(&state, mine), &reset.to_bytes()).expect("reset");
    assert_eq!(bool::from_bytes(&ok).ok(), Some(true));
    assert_eq!(ctx(&state, other_temp).user_id(), None);
    assert_eq!(ctx(&state, other).user_id(), None);
    assert_eq!(ctx(&state, bob).user_id(), Some(ALICE + 1));
    assert_eq!(ctx(&state, mine).user_id(), Some(ALICE));
}

#[test]
fn reset_authorizations_ends_all_others_once_the_current_one_is_a_day_old() {
    let state = state();
    let mine = perm_key(&state, 1, Some(ALICE));
    let others = [
        perm_key(&state, 2, Some(ALICE)),
        perm_key(&state, 3, Some(ALICE)),
    ];
    let now = crate::state::unix_now();
    let fresh_hash = new_hash();
    state
        .store()
        .sign_in(mine, ALICE, fresh_hash, now - FRESH_RESET_SECS + 60)
        .expect("sign in");
    let req = functions::auth::ResetAuthorizations {}.to_bytes();
    let err = call(&mut ctx(&state, mine), &req).expect_err("too fresh");
    assert_eq!(
        (err.code, err.message.as_str()),
        (406, "FRESH_RESET_AUTHORISATION_FORBIDDEN")
    );
    state
        .store()
        .sign_in(mine, ALICE, fresh_hash, now - FRESH_RESET_SECS - 1)
        .expect("sign in");
    call(&mut ctx(&state, mine), &req).expect("a day-old session may reset the others");
    for k in others {
        assert_eq!(ctx(&state, k).user_id(), None);
    }
    assert_eq!(list(&state, mine).authorizations.len(), 1);
}

#[test]
fn export_is_refused_for_this_dc_and_unknown_dcs() {
    let state = state();
    let key = perm_key(&state, 1, Some(ALICE));
    for dc in [2, 6, -1] {
        let req = functions::auth::ExportAuthorization { dc_id: dc };
        let err = call(&mut ctx(&state, key), &req.to_bytes()).expect_err("refused");
        assert_eq!(err.message, "DC_ID_INVALID", "dc {dc}");
    }
    let body = call(
        &mut ctx(&state, key),
        &functions::auth::ExportAuthorization { dc_id: 3 }.to_bytes(),
    )
    .expect("exported");
    let enums::auth::ExportedAuthorization::ExportedAuthorization(e) =
        enums::auth::ExportedAuthorization::from_bytes(&body).expect("decodes");
    assert_eq!(e.id, ALICE);
    let target = perm_key(&state, 9, None);
    let mut on_dc3 = ctx(&state, target);
    on_dc3.dc_id = 3;
    let import = functions::auth::ImportAuthorization {
        id: e.id,
        bytes: e.bytes,
    };
    call(&mut on_dc3, &import.to_bytes()).expect("imported on DC 3");
    assert_eq!(on_dc3.user_id(), Some(ALICE));
    let err = call(&mut on_dc3, &import.to_bytes()).expect_err("single use");
    assert_eq!(err.message, "AUTH_BYTES_INVALID");
}
