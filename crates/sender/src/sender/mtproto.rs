//! The real protocol stack: `hearth-transport` codecs, the
//! `hearth-mtproto` encrypted session and its auth key state machine.

use std::time::{SystemTime, UNIX_EPOCH};

use hearth_crypto::AuthKey;
use hearth_mtproto::auth::{AuthError, Authenticator, KeyParams, KeyTable, Step};
use hearth_mtproto::{InboundError, SessionConfig, UnixTime};
use hearth_transport::mtproxy::MtProxySecret as ParsedSecret;
use hearth_transport::obfuscated::DcId;
use hearth_transport::{ClientMode, FramingKind, ProtocolTag};

use super::protocol::{
    ends_connection, Event, ExchangeStep, FramingError, Handled, KeyExchange, Protocol,
    ProtocolError, RequestId, Session, Severity,
};
use crate::connect::Route;

fn unix(t: SystemTime) -> UnixTime {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => UnixTime::new(d.as_secs() as i64, d.subsec_nanos()),
        Err(_) => UnixTime::default(),
    }
}

/// An auth key with the salt and clock offset a session starts from.
/// `Debug` never shows the key; the key is zeroized on drop.
#[derive(Clone)]
pub struct SessionKey {
    pub auth_key: AuthKey,
    pub salt: i64,
    pub time_offset: i32,
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKey")
            .field("key_id", &format_args!("{:#018x}", self.auth_key.key_id()))
            .finish_non_exhaustive()
    }
}

/// MTProto over `hearth-transport` for one DC.
pub struct Mtproto {
    /// The DC id written into obfuscated2 headers (MTProxy forwards by it).
    pub dc: DcId,
    /// Framing for direct and proxied routes.
    pub framing: FramingKind,
    /// Wrap direct/proxied connections in obfuscated2 as well.
    pub obfuscate: bool,
    pub session: SessionConfig,
}

impl Mtproto {
    /// Intermediate framing, not obfuscated, default session settings.
    pub fn new(dc: DcId) -> Self {
        Self {
            dc,
            framing: FramingKind::Intermediate,
            obfuscate: false,
            session: SessionConfig::default(),
        }
    }
}

impl Protocol for Mtproto {
    type Key = SessionKey;
    type Session = MtprotoSession;

    fn transport(&mut self, route: &Route) -> Result<ClientMode, FramingError> {
        let dc = self.dc;
        match route {
            // Secrets without a required codec (plain 16-byte ones) get
            // padded intermediate too: it hides packet sizes from observers.
            Route::MtProxy { secret, .. } => Ok(ClientMode::MtProxy {
                secret: ParsedSecret::from_bytes(secret.as_bytes())
                    .map_err(|e| FramingError::Malformed(e.to_string()))?,
                tag: ProtocolTag::PaddedIntermediate,
                dc,
            }),
            _ if self.obfuscate => {
                let tag = self.framing.tag().ok_or_else(|| {
                    FramingError::Malformed("the full transport cannot be obfuscated".into())
                })?;
                Ok(ClientMode::Obfuscated { tag, dc })
            }
            _ => Ok(ClientMode::Plain(self.framing)),
        }
    }

    fn session(&mut self, key: &SessionKey) -> MtprotoSession {
        MtprotoSession(hearth_mtproto::Session::new(
            key.auth_key.clone(),
            key.salt,
            key.time_offset,
            self.session.clone(),
            Box::new(rand::make_rng::<rand::rngs::StdRng>()),
        ))
    }
}

/// [`Session`] over `hearth_mtproto::Session`.
#[derive(Debug)]
pub struct MtprotoSession(pub hearth_mtproto::Session);

impl Session for MtprotoSession {
    fn enqueue(&mut self, body: Vec<u8>) -> RequestId {
        self.0.enqueue(body).0
    }

    fn ping_delay_disconnect(&mut self, ping_id: i64, disconnect_delay: i32) -> RequestId {
        self.0.ping_delay_disconnect(ping_id, disconnect_delay).0
    }

    fn poll_outgoing(&mut self, now: SystemTime) -> Option<Vec<u8>> {
        self.0.poll_outgoing(unix(now))
    }

    fn handle_incoming(&mut self, now: SystemTime, packet: Vec<u8>) -> Handled {
        translate(self.0.handle_incoming_owned(unix(now), packet))
    }

    fn handle_incoming_pair(
        &mut self,
        now: SystemTime,
        a: Vec<u8>,
        b: Vec<u8>,
    ) -> (Handled, Option<Handled>) {
        let (a, b) = self.0.open_pair(a, b);
        let ra = translate(self.0.absorb(unix(now), a));
        if ends_connection(&ra) {
            return (ra, None);
        }
        (ra, Some(translate(self.0.absorb(unix(now), b))))
    }

    fn connection_lost(&mut self) {
        self.0.requeue_in_flight();
    }

    fn cancel(&mut self, request: RequestId) {
        self.0.cancel(hearth_mtproto::RequestId(request));
    }
}

/// The session's verdict on one packet, in the sender's terms.
fn translate(
    result: Result<Vec<hearth_mtproto::Event>, InboundError>,
) -> Result<Vec<Event>, ProtocolError> {
    use hearth_mtproto::Event as E;
    let events = result.map_err(|e| {
        // A packet that fails before or at the msg_key check is not
        // from the server: the stream was altered (obfuscated2 is not
        // authenticated) and may hold the answers we wait for. It must
        // not end the sender, and dropping it alone would leave those
        // requests waiting: reconnect and re-send instead. Packets that
        // pass msg_key and fail later (replays, other sessions, time
        // window) are ignored as the security guidelines ask.
        let severity = match e {
            InboundError::TransportError(_)
            | InboundError::AuthKeyMismatch(_)
            | InboundError::Decrypt(_)
            | InboundError::Length(_) => Severity::Reconnect,
            _ => Severity::Drop,
        };
        ProtocolError::new(e.to_string(), severity)
    })?;
    Ok(events
        .into_iter()
        .filter_map(|e| match e {
            E::RpcResult { request, body } => Some(Event::RpcResult {
                request: request.0,
                body,
            }),
            E::RpcError { request, error } => Some(Event::RpcError {
                request: request.0,
                error,
            }),
            E::BadMessage { request, code } => Some(Event::BadMessage {
                request: request.0,
                code,
            }),
            E::AnswerRejected { request, error } => Some(Event::Failed {
                request: request.0,
                reason: format!(
                    "the server's answer was refused ({error}); the server or something on the way to it sent hostile or damaged data"
                ),
            }),
            E::Update(bytes) => Some(Event::Update(bytes)),
            E::NewSession { .. } => Some(Event::NewSession),
            other => {
                tracing::debug!(event = ?other, "session event");
                None
            }
        })
        .collect())
}

/// [`KeyExchange`] over `hearth_mtproto::auth::Authenticator`.
pub struct AuthKeyExchange {
    params: Option<(KeyParams, KeyTable)>,
    auth: Option<Authenticator>,
    rng: rand::rngs::StdRng,
}

impl AuthKeyExchange {
    /// Creates a key for `params`, checking the server against `keys`.
    pub fn new(params: KeyParams, keys: KeyTable) -> Self {
        Self {
            params: Some((params, keys)),
            auth: None,
            rng: rand::make_rng(),
        }
    }
}

fn auth_error(e: AuthError) -> ProtocolError {
    ProtocolError::new(e.to_string(), Severity::Fatal)
}

impl KeyExchange for AuthKeyExchange {
    type Key = SessionKey;

    fn start(&mut self, now: SystemTime) -> Result<Vec<u8>, ProtocolError> {
        let (params, keys) = self
            .params
            .take()
            .ok_or_else(|| auth_error(AuthError::Finished))?;
        let (auth, first) = Authenticator::start(unix(now), params, keys, &mut self.rng);
        self.auth = Some(auth);
        Ok(first)
    }

    fn step(
        &mut self,
        now: SystemTime,
        packet: &[u8],
    ) -> Result<ExchangeStep<SessionKey>, ProtocolError> {
        let auth = self
            .auth
            .as_mut()
            .ok_or_else(|| auth_error(AuthError::Finished))?;
        match auth
            .handle(unix(now), packet, &mut self.rng)
            .map_err(auth_error)?
        {
            Step::Send(p) => Ok(ExchangeStep::Send(p)),
            Step::Done(r) => Ok(ExchangeStep::Done(SessionKey {
                auth_key: r.auth_key,
                salt: r.salt,
                time_offset: r.time_offset,
            })),
        }
    }
}
