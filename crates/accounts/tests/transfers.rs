//! The transfer manager against localdc: an upload sent as a document with progress that
//! never goes back, a download cancelled at once (listed as cancelled, no file at the
//! destination), the same download again byte for byte, and errors refused before listing.

mod common;

use hearth_accounts::{
    Destination, DownloadRequest, PeerId, TransferKind, TransferState, Transfers, UploadRequest,
};

#[tokio::test(flavor = "multi_thread")]
async fn upload_then_cancelled_and_finished_downloads_of_the_same_file() {
    let w = common::world().await;
    let alice = w.add(common::ALICE).await;
    let client = w.accounts.client(alice.id).await.unwrap();
    let bob = client.resolve_username("bob_builder").await.unwrap().id;
    let transfers = Transfers::new(w.accounts.clone());
    let mut events = transfers.subscribe();

    let blob: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let source = w.dir.path().join("blob.bin");
    std::fs::write(&source, &blob).unwrap();
    let up = transfers
        .start_upload(UploadRequest {
            account: alice.id,
            peer: bob,
            path: source.clone(),
            caption: "blob".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (up.kind, up.total),
        (TransferKind::Upload, Some(blob.len() as u64))
    );
    let mut seen = 0;
    let mut last_done = 0;
    let sent = loop {
        let v = events.recv().await.unwrap();
        assert_eq!(v.id, up.id);
        assert!(v.done >= last_done, "progress went back: {v:?}");
        last_done = v.done;
        seen += 1;
        if v.state.is_finished() {
            break v;
        }
    };
    assert!(
        matches!(sent.state, TransferState::Done),
        "{:?}",
        sent.state
    );
    assert!(seen >= 3, "progress on the way: {seen} events");
    assert_eq!(sent.done, blob.len() as u64);
    let message_id = sent.message_id.expect("the sent message");

    let out = tempfile::tempdir().unwrap();
    let request = DownloadRequest {
        account: alice.id,
        peer: bob,
        message_id,
        destination: Destination::Directory(out.path().to_path_buf()),
    };
    let first = transfers.start_download(request.clone()).await.unwrap();
    assert_eq!(first.file_name, "blob.bin");
    transfers.cancel(first.id).unwrap();
    let first = transfers.wait(first.id).await.unwrap();
    assert!(
        matches!(first.state, TransferState::Cancelled),
        "{:?}",
        first.state
    );
    assert!(
        !out.path().join("blob.bin").exists(),
        "no half file at the destination"
    );

    let second = transfers.start_download(request).await.unwrap();
    let second = transfers.wait(second.id).await.unwrap();
    assert!(
        matches!(second.state, TransferState::Done),
        "{:?}",
        second.state
    );
    assert_eq!(std::fs::read(out.path().join("blob.bin")).unwrap(), blob);
    assert!(!out.path().join("blob.bin.part").exists());
    let ids: Vec<u64> = transfers.list().iter().map(|v| v.id).collect();
    assert_eq!(ids, [up.id, first.id, second.id]);
    assert_eq!(
        transfers.cancel(999).unwrap_err().code(),
        "NO_SUCH_TRANSFER"
    );

    // Refused before anything is listed, each with its code and field.
    let no_media = transfers
        .start_download(DownloadRequest {
            account: alice.id,
            peer: bob,
            message_id: 999_999,
            destination: Destination::Directory(out.path().to_path_buf()),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (no_media.code(), no_media.field()),
        ("MESSAGE_NOT_FOUND", Some("message_id"))
    );
    let missing = transfers
        .start_upload(UploadRequest {
            account: alice.id,
            peer: bob,
            path: out.path().join("nothing"),
            caption: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (missing.code(), missing.field()),
        ("LOCAL_FILE", Some("file"))
    );
    let stranger = transfers
        .start_upload(UploadRequest {
            account: alice.id,
            peer: PeerId::User(424_242),
            path: source,
            caption: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (stranger.code(), stranger.field()),
        ("PEER_NOT_MET", Some("peer"))
    );
    assert_eq!(transfers.list().len(), 3);
    w.accounts.shutdown().await;
}
