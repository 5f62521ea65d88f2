//! Helpers shared by the authorization, QR login and contacts tests.
#![allow(dead_code)]

use crate::common::engine::*;
use hearth_sender::sender::UpdateEvent;
use hearth_sender::Sender;
use hearth_tl::{enums, functions, types, RawQuery, Serializable};
use hearth_transport::FramingKind;
use tokio::sync::mpsc::Receiver;

pub const ALICE: &str = "9996621234"; // DC 2
pub const BOB: &str = "9996641111"; // DC 4
pub const CAROL: &str = "9996625555"; // DC 2, 2FA
pub const CAROL_PASSWORD: &str = "correct horse battery staple";

/// Signs `s` in as the test number `phone` of DC `home`; returns the user.
pub async fn sign_in_as(s: &Sender, phone: &str, home: i32) -> types::User {
    let hash = sent_code_hash(&s.invoke_raw(send_code(phone)).await.unwrap());
    let body = s
        .invoke_raw(sign_in(phone, &hash, &home.to_string().repeat(5)))
        .await
        .unwrap();
    authorized_user(&body)
}

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

pub async fn signed_in(dc: &localdc::LocalDc, id: i32, phone: &str) -> (Sender, types::User) {
    let s = connect(dc, id, FramingKind::Intermediate, false).await;
    let u = sign_in_as(&s, phone, id).await;
    (s, u)
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

pub async fn authorizations(s: &Sender) -> types::account::Authorizations {
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

pub async fn err_of<R: hearth_tl::RemoteCall>(s: &Sender, req: &R) -> (i32, String) {
    match s.invoke(req).await {
        Ok(_) => panic!("expected an rpc_error"),
        Err(e) => rpc_err(e),
    }
}

pub async fn get_self(s: &Sender) -> Result<Vec<enums::User>, hearth_sender::InvocationError> {
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

pub async fn fresh_token(s: &Sender) -> types::auth::LoginToken {
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
pub async fn check_password(
    s: &Sender,
    password: &str,
) -> Result<enums::auth::Authorization, hearth_sender::InvocationError> {
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

pub async fn contacts(s: &Sender, hash: i64) -> enums::contacts::Contacts {
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

/// Signs up a new test number on DC 3; returns the sender and the user.
pub async fn signed_up_dave(dc: &localdc::LocalDc) -> (Sender, types::User) {
    let s = connect(dc, 3, FramingKind::Intermediate, false).await;
    let hash = sent_code_hash(&s.invoke_raw(send_code("9996630001")).await.unwrap());
    s.invoke_raw(sign_in("9996630001", &hash, "33333"))
        .await
        .unwrap();
    let up = s
        .invoke(&functions::auth::SignUp {
            no_joined_notifications: false,
            phone_number: "9996630001".into(),
            phone_code_hash: hash,
            first_name: "Dave".into(),
            last_name: String::new(),
        })
        .await
        .unwrap();
    let u = user_of(up);
    (s, u)
}
