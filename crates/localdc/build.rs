//! Lists the older API schemas in `schema/layers/` for `src/layers/`, so a
//! layer is served as soon as its file is there: `$OUT_DIR/layers.rs` holds
//! one `(layer, gzip of the text)` entry per `<layer>.tl`, in ascending
//! order. Compressed because the app embeds localdc: 13 MB of schema text
//! would be 3 MB (the texts are read once, when a client on that layer
//! first calls).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/layers");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut layers: Vec<(i32, std::path::PathBuf)> = std::fs::read_dir(&dir)
        .expect("schema/layers is readable")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let layer = path.file_stem()?.to_str()?.parse().ok()?;
            (path.extension()? == "tl").then_some((layer, path))
        })
        .collect();
    layers.sort();
    let mut out = String::from(
        "/// Every stored older API schema, `(layer, gzip of its text)`, oldest first.\n",
    );
    out.push_str("pub(super) const EMBEDDED: &[(i32, &[u8])] = &[\n");
    for (layer, path) in &layers {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read(path).expect("a schema file is readable");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&text).expect("gzip in memory");
        let packed = Path::new(&out_dir).join(format!("layer-{layer}.tl.gz"));
        std::fs::write(&packed, gz.finish().expect("gzip in memory")).expect("OUT_DIR is writable");
        writeln!(
            out,
            "    ({layer}, include_bytes!({:?})),",
            packed.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("layers.rs"), out).expect("OUT_DIR is writable");
}
