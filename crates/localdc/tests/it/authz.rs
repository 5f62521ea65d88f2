//! Authorizations (account.getAuthorizations, resetAuthorization(s),
//! auth.logOut) and cross-DC auth.exportAuthorization/importAuthorization
//! against the demo world, from accounts signed in through hearth-client and
//! hearth-sender sessions that import an authorization by hand.

use crate::authz_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_tl::{enums, functions};
use hearth_transport::FramingKind;

#[tokio::test]
async fn authorizations_list_every_signed_in_key_with_what_init_connection_said() {
    let dc = start_demo().await;
    let laptop = Account::sign_in(&dc, ALICE).await;
    let phone = Account::sign_in(&dc, ALICE).await;
    let _bob = Account::sign_in(&dc, BOB).await;
    // The phone's key says what device it is, as official apps do on
    // every new connection.
    phone
        .wire()
        .await
        .invoke_raw(with_init("Pixel 9", &functions::help::GetNearestDc {}))
        .await
        .unwrap();

    let list = authorizations(&laptop).await;
    assert_eq!(list.authorization_ttl_days, 180);
    assert_eq!(list.authorizations.len(), 2, "bob's key is not alice's");
    assert!(plain(&list.authorizations[0]).current, "current first");
    let current: Vec<_> = list
        .authorizations
        .iter()
        .map(plain)
        .filter(|a| a.current)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].hash, 0, "the current authorization has hash 0");
    assert_eq!(
        current[0].app_name, "Hearth",
        "the demo world registers hearth-client's local api_id"
    );
    let other = list
        .authorizations
        .iter()
        .map(plain)
        .find(|a| !a.current)
        .unwrap();
    assert_ne!(other.hash, 0);
    assert_eq!(other.device_model, "Pixel 9");
    assert_eq!(other.system_version, "Linux 6.1");
    assert_eq!(other.app_version, "0.9.1");
    assert_eq!(other.api_id, 4242);
    assert_eq!(other.app_name, "Unknown app (api_id 4242)");
    assert_eq!(other.ip, "127.0.0.1");
    let now = localdc::state::unix_now() as i32;
    assert!((now - other.date_created).abs() < 60 && other.date_active >= other.date_created);

    // The other key sees the same two, the current flag on its own.
    let seen = authorizations(&phone).await;
    let own = seen
        .authorizations
        .iter()
        .map(plain)
        .find(|a| a.current)
        .unwrap();
    assert_eq!(own.device_model, "Pixel 9");
    assert!(seen
        .authorizations
        .iter()
        .map(plain)
        .any(|a| !a.current && a.hash != 0));
    dc.shutdown().await;
}

#[tokio::test]
async fn reset_authorization_ends_the_other_key_only() {
    let dc = start_demo().await;
    let a = Account::sign_in(&dc, ALICE).await;
    let b = Account::sign_in(&dc, ALICE).await;
    let other = authorizations(&a)
        .await
        .authorizations
        .iter()
        .map(plain)
        .find(|x| !x.current)
        .unwrap()
        .hash;
    for bad in [0, other.wrapping_add(1)] {
        let (code, msg) = err_of(&a, &functions::account::ResetAuthorization { hash: bad }).await;
        assert_eq!((code, msg.as_str()), (400, "HASH_INVALID"));
    }
    assert!(
        get_self(&b).await.is_ok(),
        "still signed in before the reset"
    );
    let ok = a
        .invoke(&functions::account::ResetAuthorization { hash: other })
        .await
        .unwrap();
    assert!(ok);
    let (code, msg) = rpc_err(get_self(&b).await.unwrap_err());
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    let (code, msg) = err_of(&b, &functions::account::GetAuthorizations {}).await;
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    let left = authorizations(&a).await.authorizations;
    assert_eq!(left.len(), 1);
    assert!(plain(&left[0]).current);
    let (_, msg) = err_of(&a, &functions::account::ResetAuthorization { hash: other }).await;
    assert_eq!(msg, "HASH_INVALID", "an ended authorization is gone");
    assert!(get_self(&a).await.is_ok(), "the caller stays signed in");
    dc.shutdown().await;
}

#[tokio::test]
async fn reset_authorizations_is_refused_on_a_fresh_session_and_log_out_ends_the_key() {
    let dc = start_demo().await;
    let a = Account::sign_in(&dc, ALICE).await;
    let b = Account::sign_in(&dc, ALICE).await;
    let (code, msg) = err_of(&a, &functions::auth::ResetAuthorizations {}).await;
    assert_eq!(
        (code, msg.as_str()),
        (406, "FRESH_RESET_AUTHORISATION_FORBIDDEN")
    );
    assert!(get_self(&b).await.is_ok(), "nothing was ended");

    let enums::auth::LoggedOut::LoggedOut(out) =
        b.invoke(&functions::auth::LogOut {}).await.unwrap();
    assert_eq!(out.future_auth_token, None);
    let (code, msg) = rpc_err(get_self(&b).await.unwrap_err());
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    assert_eq!(authorizations(&a).await.authorizations.len(), 1);
    // The key itself still works for methods that need no user.
    b.invoke(&functions::help::GetNearestDc {}).await.unwrap();
    dc.shutdown().await;
}

#[tokio::test]
async fn reset_authorizations_ends_every_other_key_once_the_control_port_aged_them() {
    let dc = start_demo().await;
    let a = Account::sign_in(&dc, ALICE).await;
    let b = Account::sign_in(&dc, ALICE).await;
    let c = Account::sign_in(&dc, ALICE).await;
    let bob = Account::sign_in(&dc, BOB).await;
    let (_, msg) = err_of(&a, &functions::auth::ResetAuthorizations {}).await;
    assert_eq!(msg, "FRESH_RESET_AUTHORISATION_FORBIDDEN");

    // Bob's sessions age alone: alice's stay too fresh.
    let aged = control(
        &dc,
        serde_json::json!({"cmd": "age_authorizations", "secs": 90_000, "phone": BOB}),
    )
    .await;
    assert_eq!(aged, serde_json::json!({"ok": true, "aged": 1}));
    let (_, msg) = err_of(&a, &functions::auth::ResetAuthorizations {}).await;
    assert_eq!(msg, "FRESH_RESET_AUTHORISATION_FORBIDDEN");

    let aged = control(
        &dc,
        serde_json::json!({"cmd": "age_authorizations", "secs": 90_000}),
    )
    .await;
    assert_eq!(aged, serde_json::json!({"ok": true, "aged": 4}));
    let listed = authorizations(&a).await.authorizations;
    let now = localdc::state::unix_now() as i32;
    assert!(listed
        .iter()
        .map(plain)
        .all(|x| now - x.date_created >= 90_000));
    assert!(a
        .invoke(&functions::auth::ResetAuthorizations {})
        .await
        .unwrap());
    for ended in [&b, &c] {
        let (code, msg) = rpc_err(get_self(ended).await.unwrap_err());
        assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));
    }
    let left = authorizations(&a).await.authorizations;
    assert_eq!(left.len(), 1);
    assert!(plain(&left[0]).current);
    assert!(
        get_self(&bob).await.is_ok(),
        "another account keeps its sessions"
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn exported_authorization_signs_in_once_on_its_target_dc() {
    let dc = start_demo().await;
    let anon = connect(&dc, 4, FramingKind::Intermediate, false).await;
    let (code, msg) = err_of(&anon, &functions::auth::ExportAuthorization { dc_id: 2 }).await;
    assert_eq!((code, msg.as_str()), (401, "AUTH_KEY_UNREGISTERED"));

    let bob = Account::sign_in(&dc, BOB).await;
    let bob_user = &bob.user;
    for bad in [4, 9, 0] {
        let (code, msg) = err_of(&bob, &functions::auth::ExportAuthorization { dc_id: bad }).await;
        assert_eq!((code, msg.as_str()), (400, "DC_ID_INVALID"), "dc {bad}");
    }
    let enums::auth::ExportedAuthorization::ExportedAuthorization(e) = bob
        .invoke(&functions::auth::ExportAuthorization { dc_id: 2 })
        .await
        .unwrap();
    assert_eq!(e.id, bob_user.id);
    assert!(e.bytes.len() >= 32);
    let enums::auth::ExportedAuthorization::ExportedAuthorization(e2) = bob
        .invoke(&functions::auth::ExportAuthorization { dc_id: 2 })
        .await
        .unwrap();
    assert_ne!(e.bytes, e2.bytes, "fresh bytes per export");

    let dc2 = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let dc3 = connect(&dc, 3, FramingKind::Intermediate, false).await;
    let import = |id: i64, bytes: &[u8]| functions::auth::ImportAuthorization {
        id,
        bytes: bytes.to_vec(),
    };
    let (code, msg) = err_of(&dc3, &import(e.id, &e.bytes)).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "AUTH_BYTES_INVALID"),
        "bound to DC 2"
    );
    let (_, msg) = err_of(&dc2, &import(e.id + 1, &e.bytes)).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID", "bound to bob");
    let (_, msg) = err_of(&dc2, &import(e.id, b"forged")).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID");
    let u = user_of(dc2.invoke(&import(e.id, &e.bytes)).await.unwrap());
    assert_eq!((u.id, u.self_), (bob_user.id, true));
    let me = get_self(&dc2).await.unwrap();
    let [enums::User::User(me)] = &me[..] else {
        panic!("one user")
    };
    assert_eq!(me.id, bob_user.id);
    let again = connect(&dc, 2, FramingKind::Intermediate, false).await;
    let (_, msg) = err_of(&again, &import(e.id, &e.bytes)).await;
    assert_eq!(msg, "AUTH_BYTES_INVALID", "single use");
    // Both of bob's keys are authorizations now.
    assert_eq!(authorizations(&bob).await.authorizations.len(), 2);
    dc.shutdown().await;
}

#[tokio::test]
async fn bots_may_export_but_not_manage_sessions_contacts_or_qr_logins() {
    let dc = start_demo().await;
    let bot = Account::bot(&dc, BOT_TOKEN).await;
    let bot_method_invalid = (400, "BOT_METHOD_INVALID".to_string());
    assert_eq!(
        err_of(&bot, &functions::account::GetAuthorizations {}).await,
        bot_method_invalid
    );
    assert_eq!(
        err_of(&bot, &functions::contacts::GetContacts { hash: 0 }).await,
        bot_method_invalid
    );
    assert_eq!(err_of(&bot, &accept(b"token")).await, bot_method_invalid);
    bot.invoke(&functions::auth::ExportAuthorization { dc_id: 4 })
        .await
        .expect("bots download across DCs too");
    dc.shutdown().await;
}
