//! Telethon's sessions (1.x): [`string`] (`StringSession`) and [`file`]
//! (`SQLiteSession`).

pub mod file;
pub mod string;
