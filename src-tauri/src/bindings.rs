//! TypeScript bindings for the IPC types, generated with `ts-rs`.
//!
//! `tests/bindings.rs` compares these with the committed files in
//! `ui/src/lib/bindings/` and fails when they differ; run
//! `HEARTH_UPDATE_BINDINGS=1 cargo test -p hearth-app --test bindings` to
//! rewrite them.

use std::path::PathBuf;

use ts_rs::TS;

use crate::accounts::export::{
    ExportFormat, ExportLogin, ExportMode, ExportSessionRequest, ExportedSessionView,
};
use crate::accounts::import::{
    FoundSession, ImportFormat, ImportOutcome, ImportPreview, ImportRequest, ImportSource,
};
use crate::accounts::types::{
    AccountEvent, AccountNetwork, AccountView, ApiCredentials, CodeDelivery, ConnectionState,
    DemoAccount, LoginRequest, LoginStep, NetworkOption, SessionView,
};
use crate::chats::types::{
    ChatEvent, ChatMessage, ChatSearch, DialogView, DialogsPage, EntityView, HistoryRequest,
    MediaKind, MediaView, OpenChat, SearchAfter,
};
use crate::diagnostics::types::{
    GridCell, LocalDcEntry, LocalNetworkInfo, NetworkChoice, ProbeOutcome, ProbeStep, ProxyEntry,
    ProxyInput, SavedReport, SweepEvent, SweepRequest,
};
use crate::info::{AppInfo, CommandError};
use crate::transfers::{MediaProgress, MediaVariant, TransferKind, TransferView};

macro_rules! exported {
    ($($t:ty),* $(,)?) => {
        vec![$((format!("{}.ts", <$t>::name()), <$t>::export_to_string()?)),*]
    };
}

/// The directory the UI imports bindings from.
pub fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

/// Every exported type as `(file name, file contents)`.
pub fn generated() -> Result<Vec<(String, String)>, ts_rs::ExportError> {
    Ok(exported![
        AppInfo,
        CommandError,
        NetworkChoice,
        LocalDcEntry,
        LocalNetworkInfo,
        SweepRequest,
        GridCell,
        ProbeStep,
        ProbeOutcome,
        SweepEvent,
        ProxyInput,
        ProxyEntry,
        SavedReport,
        AccountNetwork,
        ConnectionState,
        AccountView,
        DemoAccount,
        NetworkOption,
        ApiCredentials,
        LoginRequest,
        CodeDelivery,
        LoginStep,
        SessionView,
        AccountEvent,
        ImportFormat,
        ImportSource,
        FoundSession,
        ImportPreview,
        ImportRequest,
        ExportFormat,
        ExportMode,
        ExportLogin,
        ExportSessionRequest,
        ExportedSessionView,
        ImportOutcome,
        DialogsPage,
        DialogView,
        MediaKind,
        MediaView,
        EntityView,
        ChatMessage,
        HistoryRequest,
        ChatSearch,
        SearchAfter,
        OpenChat,
        ChatEvent,
        TransferKind,
        TransferView,
        MediaVariant,
        MediaProgress,
    ])
}
