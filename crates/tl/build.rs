//! Generates the TL types from `schema/api.tl` and `schema/mtproto.tl`.

use hearth_tl_gen::{generate, Config};
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let schema_dir = manifest.join("../../schema");
    build(
        &schema_dir.join("api.tl"),
        &out_dir.join("api.rs"),
        Config {
            root: "crate".into(),
            extern_types: Vec::new(),
            emit_layer: true,
            name_fn: "api_name_for_id".into(),
            function_id_fn: Some("api_function_id_of".into()),
            byte_strings: Vec::new(),
        },
    );
    build(
        &schema_dir.join("mtproto.tl"),
        &out_dir.join("mtproto.rs"),
        Config {
            root: "crate::mtproto".into(),
            // `// special` declarations, hand-written in src/mtproto/special/.
            extern_types: [
                ("FutureSalts", "FutureSalts"),
                ("FutureSalt", "FutureSalt"),
                ("RpcResult", "RpcResult"),
                ("Message", "Message"),
                ("MessageContainer", "MsgContainer"),
                ("MessageCopy", "MsgCopy"),
            ]
            .iter()
            .map(|(tl, rust)| (tl.to_string(), format!("crate::mtproto::special::{rust}")))
            .collect(),
            emit_layer: false,
            name_fn: "mtproto_name_for_id".into(),
            function_id_fn: None,
            // One status byte per message id
            // (core.telegram.org/mtproto/service_messages_about_messages).
            byte_strings: [("msgs_state_info", "info"), ("msgs_all_info", "info")]
                .iter()
                .map(|(c, f)| (c.to_string(), f.to_string()))
                .collect(),
        },
    );
}

fn build(schema: &Path, out: &Path, config: Config) {
    println!("cargo:rerun-if-changed={}", schema.display());
    let text = std::fs::read_to_string(schema)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", schema.display()));
    let parsed =
        hearth_tl_parser::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", schema.display()));
    let code = generate(&parsed, &config).unwrap_or_else(|e| panic!("{}: {e}", schema.display()));
    std::fs::write(out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
