//! Helpers shared by the authorization, QR login and contacts tests.
//! Accounts sign in through hearth-client ([`crate::common::account`]);
//! the helpers here take any [`Conn`], so the sessions a test signs in by
//! hand (QR login, imported authorizations) use them too.
#![allow(dead_code)]

use crate::common::account::*;
use crate::common::engine::*;
use hearth_sender::sender::UpdateEvent;
use hearth_tl::{enums, functions, types, RawQuery, Serializable};
use tokio::sync::mpsc::Receiver;

pub const ALICE: &str = ALICE_PHONE; // DC 2
pub const BOB: &str = BOB_PHONE; // DC 4
pub const CAROL: &str = CAROL_PHONE; // DC 2, 2FA

pub fn authorized_user(body: &[u8]) -> types::User {
    use hearth_tl::Deserializable;
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

pub fn user_of(a: enums::auth::Authorization) -> types::User {
    authorized_user(&a.to_bytes())
}

/// `invokeWithLayer(initConnection(query))` as official clients send it.
pub fn with_init<R: Serializable>(device: &str, query: &R) -> Vec<u8> {
    functions::InvokeWithLayer {
        layer: 229,
        query: functions::InitConnection {
            api_id: 4242,
            device_model: device.into(),
            system_version: "Linux 6.1".into(),
            app_version: "0.9.1".into(),
            system_lang_code: "en-US".into(),
            lang_pack: String::new(),
            lang_code: "en".into(),
            proxy: None,
            params: None,
            query: RawQuery(query.to_bytes()),
        },
    }
    .to_bytes()
}

pub async fn authorizations(s: &impl Conn) -> types::account::Authorizations {
    let enums::account::Authorizations::Authorizations(a) = s
        .invoke(&functions::account::GetAuthorizations {})
        .await
        .expect("account.authorizations");
    a
}

pub fn plain(a: &enums::Authorization) -> &types::Authorization {
    let enums::Authorization::Authorization(a) = a;
    a
}

pub async fn err_of<R>(s: &impl Conn, req: &R) -> (i32, String)
where
    R: hearth_tl::RemoteCall,
    R::Return: std::any::Any,
{
    match s.invoke(req).await {
        Ok(_) => panic!("expected an rpc_error"),
        Err(e) => rpc_err(e),
    }
}

pub async fn get_self<C: Conn>(s: &C) -> Result<Vec<enums::User>, C::Error> {
    s.invoke(&functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf],
    })
    .await
}

pub fn export_token() -> functions::auth::ExportLoginToken {
    functions::auth::ExportLoginToken {
        api_id: 4242,
        api_hash: "0123456789abcdef".into(),
        except_ids: Vec::new(),
    }
}

pub async fn fresh_token(s: &impl Conn) -> types::auth::LoginToken {
    match s.invoke(&export_token()).await.unwrap() {
        enums::auth::LoginToken::LoginToken(t) => t,
        other => panic!("a new token, got {other:?}"),
    }
}

pub async fn wait_login_token_update(rx: &mut Receiver<UpdateEvent>) {
    use hearth_tl::Deserializable;
    loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("an update within 10 s")
            .expect("the sender is alive");
        if let UpdateEvent::Update(body) = event {
            let enums::Updates::UpdateShort(u) = enums::Updates::from_bytes(&body).unwrap() else {
                panic!("updateShort")
            };
            assert_eq!(*u.update, enums::Update::UpdateLoginToken);
            return;
        }
    }
}

pub fn accept(token: &[u8]) -> functions::auth::AcceptLoginToken {
    functions::auth::AcceptLoginToken {
        token: token.to_vec(),
    }
}

/// `auth.checkPassword` for `password` against a fresh `account.getPassword`.
pub async fn check_password<C: Conn>(
    s: &C,
    password: &str,
) -> Result<enums::auth::Authorization, C::Error> {
    let enums::account::Password::Password(p) =
        s.invoke(&functions::account::GetPassword {}).await.unwrap();
    s.invoke(&check_password_request(&p, password)).await
}

pub fn phone_contact(client_id: i64, phone: &str) -> enums::InputContact {
    enums::InputContact::InputPhoneContact(types::InputPhoneContact {
        client_id,
        phone: phone.into(),
        first_name: "Someone".into(),
        last_name: String::new(),
        note: None,
    })
}

pub async fn contacts(s: &impl Conn, hash: i64) -> enums::contacts::Contacts {
    s.invoke(&functions::contacts::GetContacts { hash })
        .await
        .unwrap()
}

pub fn user_in(users: &[enums::User], id: i64) -> types::User {
    users
        .iter()
        .find_map(|u| match u {
            enums::User::User(u) if u.id == id => Some(u.clone()),
            _ => None,
        })
        .expect("the user is listed")
}

/// Signs up the new test number 9996630001 (DC 3) as "Dave".
pub async fn signed_up_dave(dc: &localdc::LocalDc) -> Account {
    Account::sign_up(dc, "9996630001", "Dave").await
}

/// Sends one control-port request (`localdc::server::control`) and returns
/// its answer.
pub async fn control(dc: &localdc::LocalDc, req: serde_json::Value) -> serde_json::Value {
    dc.control(&req).await.expect("the control port answers")
}
