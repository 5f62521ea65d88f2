//! The media cache against localdc: the demo photo's bubble size and its largest size are
//! downloaded once each into the account's cache and are JPEGs of the sizes the photo
//! lists; a second request is a hit; a stale media id is refused.

mod common;

use hearth_accounts::{HistoryAnchor, Media, MediaKind, MediaRequest, MediaVariant};

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_photo_is_cached_at_two_sizes() {
    let w = common::world().await;
    let alice = w.add(common::ALICE).await;
    let client = w.accounts.client(alice.id).await.unwrap();
    let bob = client.resolve_username("bob_builder").await.unwrap().id;
    let history = w
        .accounts
        .history(alice.id, bob.bot_api_id(), HistoryAnchor::Latest, 50)
        .await
        .unwrap();
    let photo = history
        .iter()
        .find(|m| m.media.as_ref().is_some_and(|x| x.kind == MediaKind::Photo))
        .expect("the demo chat's photo");
    let media_id: i64 = photo
        .media
        .as_ref()
        .unwrap()
        .id
        .as_ref()
        .unwrap()
        .parse()
        .unwrap();
    let media = Media::new(w.accounts.clone());
    let req = |variant| MediaRequest {
        account: alice.id,
        peer: bob,
        message_id: photo.id,
        media_id,
        variant,
    };
    let (thumb, full) = tokio::join!(
        media.load(req(MediaVariant::Thumb), None),
        media.load(req(MediaVariant::Full), None)
    );
    let (thumb, full) = (thumb.unwrap(), full.unwrap());
    assert_eq!(&thumb[..2], [0xFF, 0xD8], "a JPEG");
    assert_eq!(&full[..2], [0xFF, 0xD8], "a JPEG");
    assert!(thumb.len() < full.len(), "{} < {}", thumb.len(), full.len());
    let cache = media.cache(alice.id);
    assert!(cache.dir().starts_with(w.dir.path()));
    assert_eq!(cache.size(), (thumb.len() + full.len()) as u64);

    // A hit needs no network: the same bytes even with the account's client shut down.
    w.accounts.shutdown().await;
    assert_eq!(
        media.load(req(MediaVariant::Full), None).await.unwrap(),
        full
    );

    let client = w.accounts.client(alice.id).await.unwrap();
    drop(client);
    let stale = media
        .load(
            MediaRequest {
                media_id: media_id + 1,
                ..req(MediaVariant::Thumb)
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (stale.code(), stale.field()),
        ("NO_MEDIA", Some("message_id"))
    );

    // Removing the account removes its pictures.
    w.accounts.remove(alice.id).await.unwrap();
    assert!(!cache.dir().exists());
    w.accounts.shutdown().await;
}
