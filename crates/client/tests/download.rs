//! Downloads against localdc: world photos and documents with their
//! thumbnails, FILE_MIGRATE to a media DC, dropped connections, expired file
//! references, flood waits, progress, cancellation and resuming.

mod common;
mod transfer;

use std::time::{Duration, Instant};

use common::*;
use hearth_client::files::{best_size, media_of, partial_path, stripped, thumbs};
use hearth_client::{ConnKind, DownloadOptions, FileLocation, MessageFile, Progress};
use hearth_tl::{enums, functions};
use image::GenericImageView;
use serde_json::json;
use transfer::*;

#[tokio::test]
async fn world_photos_and_documents_download_with_their_thumbnails() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let messages = history(&alice, bob.clone()).await;

    let photo_msg = messages
        .iter()
        .find(|m| matches!(media_of(m), Some(MessageFile::Photo(_))))
        .expect("the sunset photo");
    let Some(MessageFile::Photo(photo)) = media_of(photo_msg) else {
        unreachable!()
    };
    // The stripped thumbnail inflates to a JPEG of the size it announces.
    let s = thumbs::stripped_bytes(&photo.sizes).expect("a stripped size");
    let jpeg = stripped::to_jpeg(s).unwrap();
    let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
    assert_eq!(img.dimensions(), (u32::from(s[2]), u32::from(s[1])));
    assert_eq!(img.dimensions(), (40, 27), "1280×853 fitted in 40 px");

    // The largest size is the photo itself; `m` fits a 320 px box.
    assert_eq!(best_size(&photo.sizes, 300).unwrap().kind, "m");
    let loc = FileLocation::of_message(bob.clone(), photo_msg).unwrap();
    let bytes = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(bytes.len() as u64, loc.size.unwrap());
    let full = image::load_from_memory(&bytes).unwrap();
    assert_eq!(full.dimensions(), (1280, 853));
    let m = FileLocation::photo(&photo, "m").unwrap();
    let small = alice
        .download_bytes(&m, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(
        image::load_from_memory(&small).unwrap().dimensions(),
        (320, 213)
    );

    let doc_msg = messages
        .iter()
        .find(|m| matches!(media_of(m), Some(MessageFile::Document(_))))
        .expect("notes.txt");
    let loc = FileLocation::of_message(bob, doc_msg).unwrap();
    let text = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(text, b"Hearth demo notes: localdc serves this file.");
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn file_migrate_sends_the_download_to_the_media_dc_that_holds_the_file() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let messages = history(&alice, bob.clone()).await;
    let doc = messages
        .iter()
        .find_map(|m| FileLocation::of_message(bob.clone(), m).filter(|l| l.size == Some(44)))
        .expect("notes.txt");
    assert_eq!(doc.dc, 4);
    // Asked of the wrong DC (home), the server answers FILE_MIGRATE_4.
    let wrong = FileLocation { dc: 2, ..doc };
    let text = alice
        .download_bytes(&wrong, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(text.len(), 44);
    assert!(
        alice.is_connected(4, ConnKind::Media),
        "served by DC 4's media connection"
    );
    assert_eq!(alice.home_dc(), 2);
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_connection_dropped_mid_download_resumes_without_corrupting_a_byte() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(6 * 1024 * 1024 + 12_345, 1);
    let loc = send_document(&alice, bob, &content, "drops.bin").await;
    assert_eq!(loc.dc, 2);

    fault(
        &dc,
        json!({"kind": "drop", "dc": 2, "after_messages": 4, "stage": "before_answer"}),
    );
    let opts = DownloadOptions {
        part_size: 512 * 1024,
        parallel: 4,
        ..DownloadOptions::default()
    };
    let got = alice
        .download_bytes(&loc, &opts)
        .await
        .expect("survives the drops");
    assert!(
        dc.state().faults().connections_dropped() >= 2,
        "connections were dropped"
    );
    assert_eq!(got.len(), content.len());
    assert_eq!(sha(&got), sha(&content), "not one byte differs");
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn an_expired_file_reference_is_renewed_from_its_message() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(3 * 1024 * 1024, 2);
    let loc = send_document(&alice, bob, &content, "expiring.bin").await;
    dc.state()
        .files()
        .expire_references(localdc::file_ref::now_ms());

    // The reference the location holds is refused now...
    let stale = alice
        .invoke_media(
            2,
            &functions::upload::GetFile {
                precise: false,
                cdn_supported: false,
                location: loc.input.clone(),
                offset: 0,
                limit: 4096,
            },
        )
        .await
        .unwrap_err();
    assert!(stale.is_rpc("FILE_REFERENCE_EXPIRED"), "{stale}");
    // ...without its message it cannot be renewed...
    let orphan = FileLocation {
        source: None,
        ..loc.clone()
    };
    let e = alice
        .download_bytes(&orphan, &DownloadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_REFERENCE_EXPIRED");
    // ...and with it the download fetches the message again and succeeds.
    let got = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(sha(&got), sha(&content));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_channel_file_reference_is_renewed_through_channels_get_messages() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let news = peer_of(&alice, "hearth_news").await;
    assert!(matches!(news, enums::InputPeer::InputPeerChannel(_)));
    let loc = history(&alice, news.clone())
        .await
        .iter()
        .find_map(|m| FileLocation::of_message(news.clone(), m))
        .expect("release-notes.txt");
    dc.state()
        .files()
        .expire_references(localdc::file_ref::now_ms());
    let text = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(
        text,
        b"Hearth 0.1: channels, supergroups and a local test network."
    );
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn flood_waits_during_a_download_are_waited_out() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(4 * 1024 * 1024, 3);
    let loc = send_document(&alice, bob, &content, "flood.bin").await;
    fault(
        &dc,
        json!({"method": "upload.getFile", "limit": 3, "window_secs": 60, "wait_secs": 2}),
    );
    let t = Instant::now();
    let opts = DownloadOptions {
        part_size: 512 * 1024,
        ..DownloadOptions::default()
    };
    let got = alice
        .download_bytes(&loc, &opts)
        .await
        .expect("waited, then done");
    assert!(t.elapsed() >= Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(sha(&got), sha(&content));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn progress_is_monotonic_up_to_the_total() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(5 * 1024 * 1024 + 7, 4);
    let loc = send_document(&alice, bob, &content, "progress.bin").await;
    let (tx, mut rx) = tokio::sync::watch::channel(Progress::default());
    let seen = tokio::spawn(async move {
        let mut all = Vec::new();
        while rx.changed().await.is_ok() {
            let p = *rx.borrow_and_update();
            all.push(p);
            if p.finished {
                break;
            }
        }
        all
    });
    let opts = DownloadOptions {
        part_size: 256 * 1024,
        progress: Some(tx),
        ..DownloadOptions::default()
    };
    let got = alice.download_bytes(&loc, &opts).await.unwrap();
    assert_eq!(got.len(), content.len());
    let seen = seen.await.unwrap();
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "monotonic");
    let last = seen.last().unwrap();
    assert!(last.finished);
    assert_eq!(
        (last.done, last.total),
        (content.len() as u64, Some(content.len() as u64))
    );
    assert!(seen.iter().all(|p| p.total == Some(content.len() as u64)));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_download_to_a_path_resumes_from_its_partial_file() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(8 * 1024 * 1024, 5);
    let loc = send_document(&alice, bob, &content, "resume.bin").await;
    // Slow answers, so the cancel lands mid-download.
    fault(&dc, json!({"kind": "latency", "dc": 2, "fixed_ms": 60}));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("resume.bin");

    let cancel = hearth_client::files::CancellationToken::new();
    let (tx, mut rx) = tokio::sync::watch::channel(Progress::default());
    let opts = DownloadOptions {
        part_size: 256 * 1024,
        parallel: 2,
        cancel: Some(cancel.clone()),
        progress: Some(tx),
        ..DownloadOptions::default()
    };
    let stop = tokio::spawn(async move {
        rx.wait_for(|p| p.done >= 2 * 1024 * 1024).await.unwrap();
        cancel.cancel();
    });
    let t = Instant::now();
    let e = alice
        .download_to_path(&loc, &path, &opts)
        .await
        .unwrap_err();
    stop.await.unwrap();
    assert_eq!(e.code(), "CANCELLED");
    assert!(t.elapsed() < Duration::from_secs(10));
    let partial = std::fs::metadata(partial_path(&path)).unwrap().len();
    assert!(
        partial >= 2 * 1024 * 1024 && partial < content.len() as u64,
        "{partial}"
    );
    assert!(!path.exists(), "only the .part file until complete");

    // Dropping the future cancels too. One part at a time, each answer 60 ms
    // late: the rest of the file takes at least 360 ms.
    let one_by_one = DownloadOptions {
        parallel: 1,
        ..DownloadOptions::default()
    };
    let dropped = tokio::time::timeout(
        Duration::from_millis(150),
        alice.download_to_path(&loc, &path, &one_by_one),
    )
    .await;
    assert!(dropped.is_err(), "still running when dropped");

    dc.state().faults().clear(Some("latency")).unwrap();
    let (tx, rx) = tokio::sync::watch::channel(Progress::default());
    let opts = DownloadOptions {
        progress: Some(tx),
        ..DownloadOptions::default()
    };
    let watcher = tokio::spawn(async move {
        let mut rx = rx;
        rx.changed().await.unwrap();
        let done = rx.borrow().done;
        done
    });
    let size = alice.download_to_path(&loc, &path, &opts).await.unwrap();
    let resumed_at = watcher.await.unwrap();
    assert!(
        resumed_at >= 1024 * 1024,
        "resumed, not restarted: {resumed_at}"
    );
    assert_eq!(size, content.len() as u64);
    assert_eq!(sha(&std::fs::read(&path).unwrap()), sha(&content));
    assert!(!partial_path(&path).exists());
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn bad_options_are_refused_before_any_request() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let loc = FileLocation {
        dc: 2,
        input: enums::InputFileLocation::InputDocumentFileLocation(
            hearth_tl::types::InputDocumentFileLocation {
                id: 1,
                access_hash: 1,
                file_reference: vec![],
                thumb_size: String::new(),
            },
        ),
        size: None,
        source: None,
    };
    for opts in [
        DownloadOptions {
            part_size: 1000,
            ..Default::default()
        },
        DownloadOptions {
            part_size: 2 * 1024 * 1024,
            ..Default::default()
        },
        DownloadOptions {
            parallel: 0,
            ..Default::default()
        },
    ] {
        let e = alice.download_bytes(&loc, &opts).await.unwrap_err();
        assert_eq!(e.code(), "OPTIONS", "{e}");
    }
    let e = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_ID_INVALID", "{e}");
    alice.shutdown();
    dc.shutdown().await;
}
