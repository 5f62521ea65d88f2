//! The MTProto service schema (`schema/mtproto.tl`): auth key creation and
//! service messages. `types`, `enums` and `functions` are generated; the
//! declarations marked `// special` there are hand-written in [`special`].

include!(concat!(env!("OUT_DIR"), "/mtproto.rs"));

pub mod special;
