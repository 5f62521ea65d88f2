//! A bare Tauri 2 window: one window the size of Hearth's showing a static page,
//! whose script invokes `ready` once after its first frame. `ready` prints
//! `window interactive after N ms` (since `main` began) on stderr, the line
//! `scripts/bench_startup.py` waits for, as it does for Hearth's `ui_ready`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
static READY: AtomicBool = AtomicBool::new(false);

/// `ready`: the page has painted its first frame; logged once.
#[tauri::command]
fn ready() {
    if !READY.swap(true, Ordering::SeqCst) {
        let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        eprintln!("bare-window: window interactive after {ms} ms");
    }
}

fn main() {
    STARTED.get_or_init(Instant::now);
    if let Err(error) = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
    {
        eprintln!("bare-window: cannot run the window: {error}");
        std::process::exit(1);
    }
}
