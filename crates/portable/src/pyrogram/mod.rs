//! Pyrogram's sessions, as Pyrogram 2.0 and its maintained forks (kurigram,
//! pyrofork) write them: [`string`] and [`file`].

pub mod file;
pub mod string;
