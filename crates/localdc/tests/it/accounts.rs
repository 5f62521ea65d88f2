//! Two-step verification (SRP) and bot logins through hearth-sender.

use crate::common::engine::*;
use crate::common::*;
use hearth_sender::Sender;
use hearth_tl::Serializable;
use hearth_transport::FramingKind;

/// `account.getPassword` for the key that got SESSION_PASSWORD_NEEDED.
async fn get_password(s: &Sender) -> hearth_tl::types::account::Password {
    use hearth_tl::{Deserializable, Identifiable};
    let id = hearth_tl::functions::account::GetPassword::CONSTRUCTOR_ID;
    let body = s.invoke_raw(id.to_le_bytes().to_vec()).await.unwrap();
    let hearth_tl::enums::account::Password::Password(p) =
        hearth_tl::enums::account::Password::from_bytes(&body).expect("account.password");
    p
}

fn authorized_user(body: &[u8]) -> hearth_tl::types::User {
    use hearth_tl::{enums, Deserializable};
    let enums::auth::Authorization::Authorization(a) =
        enums::auth::Authorization::from_bytes(body).expect("auth.authorization")
    else {
        panic!("signed in, not sign-up required")
    };
    let enums::User::User(u) = *a.user else {
        panic!("a full user")
    };
    u
}

#[tokio::test]
async fn two_step_password_is_checked_with_srp() {
    let dc = start_demo().await;
    let s = connect(&dc, 2, FramingKind::Intermediate, true).await;
    // carol (9996625555) has the password "correct horse battery staple".
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996625555")).await.unwrap());
    let (code, message) = rpc_err(
        s.invoke_raw(sign_in("9996625555", &hash, "22222"))
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (401, "SESSION_PASSWORD_NEEDED"));

    let p = get_password(&s).await;
    assert!(p.has_password);
    assert_eq!(p.hint.as_deref(), Some("xkcd 936"));
    let Some(hearth_tl::enums::PasswordKdfAlgo::PasswordKdfAlgoSha256sha256pbkdf2hmacsha512iter100000Sha256ModPow(a)) =
        &p.current_algo
    else {
        panic!("SRP algorithm")
    };
    assert_eq!(a.g, 3);
    assert_eq!(a.p, hearth_crypto::dh::TELEGRAM_DH_PRIME.to_vec());
    assert_eq!(p.srp_b.as_ref().map(Vec::len), Some(256));

    let (code, message) = rpc_err(
        s.invoke_raw(check_password_request(&p, "wrong password").to_bytes())
            .await
            .unwrap_err(),
    );
    assert_eq!((code, message.as_str()), (400, "PASSWORD_HASH_INVALID"));

    let p2 = get_password(&s).await;
    assert_ne!(p2.srp_id, p.srp_id, "every round has its own srp_id");
    assert_eq!(
        p2.current_algo, p.current_algo,
        "salts are per account, stable"
    );
    // The previous round is gone.
    let (_, message) = rpc_err(
        s.invoke_raw(check_password_request(&p, "correct horse battery staple").to_bytes())
            .await
            .unwrap_err(),
    );
    assert_eq!(message, "SRP_ID_INVALID");
    let user = authorized_user(
        &s.invoke_raw(check_password_request(&p2, "correct horse battery staple").to_bytes())
            .await
            .unwrap(),
    );
    assert!(user.self_);
    assert_eq!(user.phone.as_deref(), Some("9996625555"));
    dc.shutdown().await;
}

fn import_bot(token: &str) -> Vec<u8> {
    hearth_tl::functions::auth::ImportBotAuthorization {
        flags: 0,
        api_id: 12345,
        api_hash: "0123456789abcdef".into(),
        bot_auth_token: token.into(),
    }
    .to_bytes()
}

#[tokio::test]
async fn world_bots_import_their_authorization_on_their_dc() {
    let dc = start_demo().await;
    let token = "7000001:AAHearthDemoBotSecretToken";
    let dc4 = connect(&dc, 4, FramingKind::Abridged, false).await;
    let (code, message) = rpc_err(dc4.invoke_raw(import_bot(token)).await.unwrap_err());
    assert_eq!((code, message.as_str()), (303, "USER_MIGRATE_2"));

    let s = connect(&dc, 2, FramingKind::Abridged, false).await;
    let (code, message) = rpc_err(s.invoke_raw(import_bot("7000001:wrong")).await.unwrap_err());
    assert_eq!((code, message.as_str()), (400, "ACCESS_TOKEN_INVALID"));
    let bot = authorized_user(&s.invoke_raw(import_bot(token)).await.unwrap());
    assert!(bot.bot && bot.self_);
    assert_eq!(bot.id, 7000001);
    assert_eq!(bot.username.as_deref(), Some("hearth_helper_bot"));
    dc.shutdown().await;
}
