//! Transports: detection, framing and obfuscation of the byte stream.

pub mod codec;
pub mod detect;
pub mod obfuscated;
