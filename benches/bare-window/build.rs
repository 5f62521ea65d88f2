//! Tauri build script: reads `tauri.conf.json` next to this file.

fn main() {
    tauri_build::build();
}
