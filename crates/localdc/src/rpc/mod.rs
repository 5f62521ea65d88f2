//! API methods: unwrapping of invoke wrappers and dispatch to the method handlers.
//!
//! Unknown constructors are answered as Telegram does: `rpc_error` 400
//! `INPUT_METHOD_INVALID`; methods that need a signed-in user answer 401
//! `AUTH_KEY_UNREGISTERED` on a key that has none.
//!
//! Layers (`docs/ARCHITECTURE.md`): this dispatch and the fault hook
//! ([`hook`]) call the handler modules; handlers build and read TL objects
//! through [`tl`] and [`media`], store what `sendMedia` names through
//! [`input_media`], and share the request context of [`ctx`];
//! none of those imports a handler, and none of the data modules
//! imports anything here.

pub mod auth;
pub mod authorizations;
pub mod bind;
pub mod channels;
pub mod chat_media;
pub mod chats;
pub mod contacts;
pub mod ctx;
pub mod dialogs;
pub mod difference;
pub mod edit;
pub mod forward;
pub mod full_user;
pub mod help;
pub mod hook;
pub mod input_media;
pub mod media;
pub mod messages;
pub mod offsets;
pub mod participants;
pub mod password;
pub mod pins;
pub mod profile;
pub mod qr_login;
pub mod search;
pub mod tl;
pub mod upload;
pub mod users;

use hearth_tl::{functions, Identifiable, RawQuery};

pub use crate::rpc_error::RpcError;
use ctx::decode;
pub use ctx::RpcCtx;

/// A method module's entry point: `None` when `id` is none of its methods.
type Dispatch = fn(&mut RpcCtx<'_>, u32, &[u8]) -> Option<Result<Vec<u8>, RpcError>>;

/// The method modules that decode and answer their own methods; the rest are
/// matched in [`call`].
const MODULES: [Dispatch; 11] = [
    authorizations::dispatch,
    qr_login::dispatch,
    contacts::dispatch,
    chats::dispatch,
    edit::dispatch,
    search::dispatch,
    channels::dispatch,
    channels::edit::dispatch,
    profile::dispatch,
    forward::dispatch,
    pins::dispatch,
];

/// Answers one query (the body of a content-related message). Generic
/// wrappers are read with [`RawQuery`] and their inner query answered. A
/// query that does not decode because an `InputPeer` stands where Telegram
/// also reads one as an `InputUser` or `InputChannel` is answered as that
/// ([`crate::layers::input_peers_as_inputs`]); a decode failure happens
/// before any state changes, so the second reading is safe.
pub fn call(ctx: &mut RpcCtx<'_>, body: &[u8]) -> Result<Vec<u8>, RpcError> {
    let id = body
        .first_chunk::<4>()
        .map(|b| u32::from_le_bytes(*b))
        .ok_or_else(|| RpcError::bad_request("INPUT_REQUEST_INVALID"))?;
    hook::before_call(ctx, id)?;
    match answer(ctx, id, body) {
        Err(e) if e.message == "INPUT_REQUEST_INVALID" && !is_wrapper(id) => {
            match crate::layers::input_peers_as_inputs(body) {
                Some(fixed) => answer(ctx, id, &fixed),
                None => Err(e),
            }
        }
        r => r,
    }
}

/// Whether `id` is a generic wrapper whose inner query [`call`] reads again.
fn is_wrapper(id: u32) -> bool {
    use functions as f;
    [
        f::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID,
        f::InitConnection::<RawQuery>::CONSTRUCTOR_ID,
        f::InvokeWithoutUpdates::<RawQuery>::CONSTRUCTOR_ID,
        f::InvokeAfterMsg::<RawQuery>::CONSTRUCTOR_ID,
        f::InvokeAfterMsgs::<RawQuery>::CONSTRUCTOR_ID,
    ]
    .contains(&id)
}

fn answer(ctx: &mut RpcCtx<'_>, id: u32, body: &[u8]) -> Result<Vec<u8>, RpcError> {
    use functions as f;
    for dispatch in MODULES {
        if let Some(r) = dispatch(ctx, id, body) {
            return r;
        }
    }
    match id {
        f::InvokeWithLayer::<RawQuery>::CONSTRUCTOR_ID => {
            let q: f::InvokeWithLayer<RawQuery> = decode(body)?;
            ctx.state.store().set_layer(ctx.key_id, q.layer)?;
            call(ctx, &q.query.0)
        }
        f::InitConnection::<RawQuery>::CONSTRUCTOR_ID => {
            let q: f::InitConnection<RawQuery> = decode(body)?;
            tracing::info!(
                api_id = q.api_id,
                device = q.device_model,
                system = q.system_version,
                app = q.app_version,
                "initConnection"
            );
            authorizations::record_init_connection(ctx, &q)?;
            call(ctx, &q.query.0)
        }
        f::InvokeWithoutUpdates::<RawQuery>::CONSTRUCTOR_ID => call(
            ctx,
            &decode::<f::InvokeWithoutUpdates<RawQuery>>(body)?.query.0,
        ),
        f::InvokeAfterMsg::<RawQuery>::CONSTRUCTOR_ID => {
            call(ctx, &decode::<f::InvokeAfterMsg<RawQuery>>(body)?.query.0)
        }
        f::InvokeAfterMsgs::<RawQuery>::CONSTRUCTOR_ID => {
            call(ctx, &decode::<f::InvokeAfterMsgs<RawQuery>>(body)?.query.0)
        }
        f::help::GetConfig::CONSTRUCTOR_ID => help::get_config(ctx),
        f::help::GetNearestDc::CONSTRUCTOR_ID => help::get_nearest_dc(ctx),
        f::auth::SendCode::CONSTRUCTOR_ID => auth::send_code(ctx, decode(body)?),
        f::auth::SignIn::CONSTRUCTOR_ID => auth::sign_in(ctx, decode(body)?),
        f::auth::ResendCode::CONSTRUCTOR_ID => auth::resend_code(ctx, decode(body)?),
        f::auth::SignUp::CONSTRUCTOR_ID => auth::sign_up(ctx, decode(body)?),
        f::auth::LogOut::CONSTRUCTOR_ID => auth::log_out(ctx),
        f::auth::ImportBotAuthorization::CONSTRUCTOR_ID => {
            auth::import_bot_authorization(ctx, decode(body)?)
        }
        f::account::GetPassword::CONSTRUCTOR_ID => password::get_password(ctx),
        f::auth::CheckPassword::CONSTRUCTOR_ID => password::check_password(ctx, decode(body)?),
        f::auth::BindTempAuthKey::CONSTRUCTOR_ID => bind::bind_temp_auth_key(ctx, decode(body)?),
        f::contacts::ResolveUsername::CONSTRUCTOR_ID => {
            messages::resolve_username(ctx, decode(body)?)
        }
        f::messages::SendMessage::CONSTRUCTOR_ID => messages::send_message(ctx, decode(body)?),
        f::messages::GetDialogs::CONSTRUCTOR_ID => dialogs::get_dialogs(ctx, decode(body)?),
        f::messages::GetHistory::CONSTRUCTOR_ID => messages::get_history(ctx, decode(body)?),
        f::messages::SendMedia::CONSTRUCTOR_ID => upload::send_media(ctx, decode(body)?),
        f::upload::SaveFilePart::CONSTRUCTOR_ID => upload::save_file_part(ctx, decode(body)?),
        f::upload::SaveBigFilePart::CONSTRUCTOR_ID => {
            upload::save_big_file_part(ctx, decode(body)?)
        }
        f::upload::GetFile::CONSTRUCTOR_ID => upload::get_file(ctx, decode(body)?),
        f::users::GetFullUser::CONSTRUCTOR_ID => full_user::get_full_user(ctx, decode(body)?),
        f::users::GetUsers::CONSTRUCTOR_ID => users::get_users(ctx, decode(body)?),
        f::updates::GetState::CONSTRUCTOR_ID => users::get_state(ctx),
        f::updates::GetDifference::CONSTRUCTOR_ID => users::get_difference(ctx, decode(body)?),
        other => {
            tracing::debug!("unknown method {other:#010x}");
            Err(RpcError::bad_request("INPUT_METHOD_INVALID"))
        }
    }
}
