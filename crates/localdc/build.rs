//! Lists the older API schemas in `schema/layers/` for `src/layers/`, so a
//! layer is served as soon as its file is there: `$OUT_DIR/layers.rs` holds
//! one `(layer, text)` entry per `<layer>.tl`, in ascending order.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/layers");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut layers: Vec<(i32, String)> = std::fs::read_dir(&dir)
        .expect("schema/layers is readable")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let layer = path.file_stem()?.to_str()?.parse().ok()?;
            (path.extension()? == "tl").then(|| (layer, path.display().to_string()))
        })
        .collect();
    layers.sort();
    let mut out =
        String::from("/// Every stored older API schema, `(layer, text)`, oldest first.\n");
    out.push_str("pub(super) const EMBEDDED: &[(i32, &str)] = &[\n");
    for (layer, path) in &layers {
        println!("cargo:rerun-if-changed={path}");
        writeln!(out, "    ({layer}, include_str!({path:?})),").unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("layers.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
