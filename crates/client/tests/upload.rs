//! Uploads against localdc: small files, big files (above 10 MB, through
//! `saveBigFilePart`), photos, dropped connections and cancellation; every
//! upload is downloaded back and compared.

mod common;
mod transfer;

use common::*;
use hearth_client::files::{media_of, stripped, thumbs};
use hearth_client::{DownloadOptions, FileLocation, MessageFile, Progress, UploadOptions};
use hearth_tl::enums;
use image::GenericImageView;
use serde_json::json;
use transfer::*;

fn document_of(m: &hearth_tl::types::Message) -> hearth_tl::types::Document {
    match media_of(m) {
        Some(MessageFile::Document(d)) => d,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_small_file_uploads_in_parts_and_comes_back_equal() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(3 * 512 * 1024 + 999, 10);
    let (tx, rx) = tokio::sync::watch::channel(Progress::default());
    let opts = UploadOptions {
        progress: Some(tx),
        ..UploadOptions::default()
    };
    let up = alice
        .upload_bytes(&content, "notes.txt", &opts)
        .await
        .unwrap();
    let enums::InputFile::InputFile(f) = &up.file else {
        panic!("a small file: {:?}", up.file)
    };
    assert_eq!(f.parts, 4);
    let p = *rx.borrow();
    assert!(p.finished && p.done == content.len() as u64, "{p:?}");

    let m = alice
        .send_document(bob.clone(), &up, "caption here", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.message, "caption here");
    let d = document_of(&m);
    assert_eq!(d.mime_type, "text/plain", "guessed from the extension");
    assert!(d.attributes.iter().any(|a| matches!(a,
        enums::DocumentAttribute::DocumentAttributeFilename(n) if n.file_name == "notes.txt")));
    let loc = FileLocation::of_message(bob, &m).unwrap();
    let back = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(sha(&back), sha(&content));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_big_file_uses_the_big_file_parts_and_comes_back_equal() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(10 * 1024 * 1024 + 123_456, 11);
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("big.bin");
    std::fs::write(&src, &content).unwrap();
    let up = alice
        .upload_path(&src, &UploadOptions::default())
        .await
        .unwrap();
    let enums::InputFile::InputFileBig(f) = &up.file else {
        panic!("a big file: {:?}", up.file)
    };
    assert_eq!((f.parts, f.name.as_str()), (21, "big.bin"));
    let m = alice
        .send_document(bob.clone(), &up, "", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(document_of(&m).mime_type, "application/octet-stream");
    let loc = FileLocation::of_message(bob, &m).unwrap();
    let out = dir.path().join("back.bin");
    let size = alice
        .download_to_path(&loc, &out, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(size, content.len() as u64);
    assert_eq!(sha(&std::fs::read(&out).unwrap()), sha(&content));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn a_photo_is_sent_with_its_sizes_and_stripped_thumbnail() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let jpeg = localdc::photos::generated_jpeg(900, 600, 5).unwrap();
    let up = alice
        .upload_bytes(&jpeg, "holiday.jpg", &UploadOptions::default())
        .await
        .unwrap();
    let m = alice
        .send_photo(bob.clone(), &up, "holiday")
        .await
        .unwrap()
        .unwrap();
    let Some(MessageFile::Photo(photo)) = media_of(&m) else {
        panic!("{m:?}")
    };
    let s = thumbs::stripped_bytes(&photo.sizes).unwrap();
    let img = image::load_from_memory(&stripped::to_jpeg(s).unwrap()).unwrap();
    assert_eq!(img.dimensions(), (40, 27));
    let largest = thumbs::largest(&photo.sizes).unwrap();
    assert_eq!((largest.w, largest.h), (900, 600));
    let loc = FileLocation::of_message(bob, &m).unwrap();
    let back = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(
        image::load_from_memory(&back).unwrap().dimensions(),
        (900, 600)
    );
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn an_upload_survives_dropped_connections() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    let bob = peer_of(&alice, "bob_builder").await;
    let content = data(5 * 1024 * 1024 + 5, 12);
    fault(
        &dc,
        json!({"kind": "drop", "dc": 2, "after_messages": 4, "stage": "before_answer"}),
    );
    let up = alice
        .upload_bytes(&content, "drops.bin", &UploadOptions::default())
        .await
        .expect("parts sent again");
    assert!(dc.state().faults().connections_dropped() >= 2);
    dc.state().faults().clear(Some("drop")).unwrap();
    let m = alice
        .send_document(bob.clone(), &up, "", None)
        .await
        .unwrap()
        .unwrap();
    let loc = FileLocation::of_message(bob, &m).unwrap();
    let back = alice
        .download_bytes(&loc, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(sha(&back), sha(&content));
    alice.shutdown();
    dc.shutdown().await;
}

#[tokio::test]
async fn an_upload_is_cancelled_and_empty_files_are_refused() {
    let dc = start_demo().await;
    let (alice, _) = signed_in(&dc, ALICE).await;
    fault(&dc, json!({"kind": "latency", "dc": 2, "fixed_ms": 100}));
    let content = data(4 * 1024 * 1024, 13);
    let cancel = hearth_client::files::CancellationToken::new();
    let (tx, mut rx) = tokio::sync::watch::channel(Progress::default());
    let opts = UploadOptions {
        parallel: 2,
        cancel: Some(cancel.clone()),
        progress: Some(tx),
        ..UploadOptions::default()
    };
    let stop = tokio::spawn(async move {
        rx.wait_for(|p| p.done > 0).await.unwrap();
        cancel.cancel();
        *rx.borrow()
    });
    let e = alice
        .upload_bytes(&content, "c.bin", &opts)
        .await
        .unwrap_err();
    let at = stop.await.unwrap();
    assert_eq!(e.code(), "CANCELLED");
    assert!(at.done < content.len() as u64);
    let e = alice
        .upload_bytes(&[], "empty.txt", &UploadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_EMPTY");
    alice.shutdown();
    dc.shutdown().await;
}
