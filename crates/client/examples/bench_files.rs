//! Hearth's side of `scripts/bench-files.sh` (a benchmark, not a test):
//! signs in to a running localdc as the demo account Alice, uploads FILE to
//! Saved Messages as a document (timed), downloads it back (timed) and
//! checks every byte. Prints one JSON line:
//! `{"upload_s":…, "download_s":…, "bytes":…, "message_id":…}`.
//!
//! With `BENCH_DC_PID` set (localdc's process id) the line also carries the
//! CPU time both processes spent during the download, per MB
//! (`download_cpu_ms_per_mb` for this client, `dc_cpu_ms_per_mb` for
//! localdc), read from `/proc/PID/stat` (Linux; 10 ms ticks).
//!
//! The download starts once localdc has gone quiet after the upload (its CPU
//! time stops growing; it saves a new document to its state dir in the
//! background), so the download is timed on the same quiet server that the
//! peer's download, run later, meets.
//!
//! `BENCH_EXTRA_DOWNLOADS=N` downloads the file N more times after the
//! timed run (untimed), for a profiler attached to the whole process.
//!
//! Usage: `bench_files ANNOUNCEMENT_FILE FILE OUT`

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use hearth_client::{
    Client, ClientConfig, DownloadOptions, FileLocation, InitParams, MemoryStorage, Network,
    SignIn, UploadOptions,
};
use hearth_tl::enums;

const ALICE: &str = "9996621234";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [announcement, file, out] = args.as_slice() else {
        return Err("usage: bench_files ANNOUNCEMENT_FILE FILE OUT".into());
    };
    let line = std::fs::read_to_string(announcement)?;
    let network = Network::local(line.trim())?;
    let storage = Arc::new(MemoryStorage::new());
    let client = Client::connect(ClientConfig::new(network, storage, InitParams::local())).await?;
    let token = client.request_login_code(ALICE).await?;
    match client.sign_in(&token, "22222").await? {
        SignIn::Done(_) => {}
        other => return Err(format!("Alice did not sign in: {other:?}").into()),
    }

    let t = Instant::now();
    let up = client
        .upload_path(&PathBuf::from(file), &UploadOptions::default())
        .await?;
    let upload_s = t.elapsed().as_secs_f64();
    let me = enums::InputPeer::InputPeerSelf;
    let message = client
        .send_document(me.clone(), &up, "bench", None)
        .await?
        .ok_or("no message in the answer")?;
    let loc = FileLocation::of_message(me, &message).ok_or("no document")?;

    // BENCH_PARALLEL: parts in flight (the default otherwise).
    let mut opts = DownloadOptions::default();
    if let Some(n) = std::env::var("BENCH_PARALLEL")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.parallel = n;
    }
    let dc_pid = std::env::var("BENCH_DC_PID").ok();
    if let Some(pid) = dc_pid.as_deref() {
        settle(pid).await;
    }
    let cpu_before = (cpu_ms("self"), dc_pid.as_deref().and_then(cpu_ms));
    let t = Instant::now();
    let bytes = client
        .download_to_path(&loc, &PathBuf::from(out), &opts)
        .await?;
    let download_s = t.elapsed().as_secs_f64();
    let cpu_after = (cpu_ms("self"), dc_pid.as_deref().and_then(cpu_ms));
    let mb = bytes as f64 / 1e6;
    let per_mb = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}", (b - a) / mb),
        _ => "null".to_owned(),
    };
    let cpu = format!(
        ",\"download_cpu_ms_per_mb\":{},\"dc_cpu_ms_per_mb\":{}",
        per_mb(cpu_before.0, cpu_after.0),
        per_mb(cpu_before.1, cpu_after.1)
    );
    if std::fs::read(file)? != std::fs::read(out)? {
        return Err("the downloaded file differs from the uploaded one".into());
    }
    // BENCH_EXTRA_DOWNLOADS: that many more downloads, untimed, so that a
    // profiler attached to the whole run sees mostly downloads.
    let extra: u32 = std::env::var("BENCH_EXTRA_DOWNLOADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for _ in 0..extra {
        client
            .download_to_path(&loc, &PathBuf::from(out), &opts)
            .await?;
    }
    println!(
        "{{\"upload_s\":{upload_s:.4},\"download_s\":{download_s:.4},\"bytes\":{bytes},\"message_id\":{}{cpu}}}",
        message.id
    );
    client.shutdown();
    Ok(())
}

/// User plus system CPU time of a process (`self` or a pid) in ms, from
/// fields 14 and 15 of `/proc/PID/stat` (after the command name, which may
/// hold spaces, in parentheses); `None` off Linux.
fn cpu_ms(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux configuration that matters here.
    Some(ticks * 10.0)
}

/// Waits (at most 30 s) until process `pid` used under 10 ms of CPU in each of
/// two 100 ms windows in a row.
async fn settle(pid: &str) {
    let mut quiet = 0;
    let mut last = cpu_ms(pid);
    for _ in 0..300 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let now = cpu_ms(pid);
        quiet = match (last, now) {
            (Some(a), Some(b)) if b - a < 10.0 => quiet + 1,
            _ => 0,
        };
        last = now;
        if quiet >= 2 {
            return;
        }
    }
}
