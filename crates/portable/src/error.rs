//! Every way a session can fail to read or write, each with what to do.

use std::path::PathBuf;

use crate::session::Format;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("this is not a {format}: it is not URL-safe base64 ({detail}); paste the whole string exactly as the library printed it")]
    NotBase64 { format: Format, detail: String },
    #[error("this is not a {format}: it decodes to {len} bytes, and every version of that format is {expected} bytes; the string is cut short, has extra characters, or is another kind of session")]
    WrongLength {
        format: Format,
        len: usize,
        expected: &'static str,
    },
    #[error("this text is not a session string Hearth knows: {detail}; Pyrogram strings are 351, 356 or 362 characters, Telethon strings start with 1 and are 353 or 369")]
    UnknownString { detail: String },
    #[error("this {format} holds no auth key: it was never signed in; sign in with that library first, or add the account in Hearth")]
    NoAuthKey { format: Format },
    #[error("this {format} has an invalid {field}: {detail}")]
    BadField {
        format: Format,
        field: &'static str,
        detail: String,
    },
    #[error("{}: cannot be opened ({detail}); check the path and that you may read it", path.display())]
    Open { path: PathBuf, detail: String },
    #[error("{} is not an SQLite database ({detail}); choose the .session file the library wrote, or paste its session string", path.display())]
    NotSqlite { path: PathBuf, detail: String },
    #[error("{} is locked by a program using it right now (a running Pyrogram or Telethon client?); stop that program first, and note that one session used in two places at once gets terminated by Telegram (AUTH_KEY_DUPLICATED)", path.display())]
    Locked { path: PathBuf },
    #[error("{} is an SQLite database but not a Pyrogram or Telethon session (its tables: {tables})", path.display())]
    UnknownDatabase { path: PathBuf, tables: String },
    #[error("{} is a {format} without a signed-in session (its sessions table has no row with an auth key); sign in with that library first", path.display())]
    EmptyDatabase { path: PathBuf, format: Format },
    #[error("{} is a {format} Hearth could not read: {detail}", path.display())]
    Database {
        path: PathBuf,
        format: Format,
        detail: String,
    },
    #[error("a {format} needs {what}; {detail}")]
    CannotWrite {
        format: Format,
        what: &'static str,
        detail: String,
    },
    #[error("{} is not a Telegram Desktop tdata folder ({detail}); choose the tdata folder inside Telegram Desktop's data folder", path.display())]
    NotTdata { path: PathBuf, detail: String },
    #[error("{} has a local passcode: give it to open the folder (the passcode Telegram Desktop asks for when it starts)", path.display())]
    TdataPasscodeNeeded { path: PathBuf },
    #[error("the passcode is wrong: {} does not open with it; give the local passcode Telegram Desktop asks for when it starts", path.display())]
    TdataWrongPasscode { path: PathBuf },
    #[error("{} is damaged: {detail}; quit Telegram Desktop and copy its tdata folder again", path.display())]
    TdataDamaged { path: PathBuf, detail: String },
    #[error("{} has no signed-in account; sign in to Telegram Desktop first, or add the account in Hearth", path.display())]
    TdataNoAccounts { path: PathBuf },
    #[error("{} already exists; choose another name (Hearth never overwrites a session file)", path.display())]
    Exists { path: PathBuf },
    #[error("could not write {}: {detail}", path.display())]
    Write { path: PathBuf, detail: String },
}
