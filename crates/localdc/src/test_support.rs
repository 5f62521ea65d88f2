//! What the crate's own sans-IO tests share: a `ServerState` over the demo
//! world with an in-memory store and the fixture RSA key.

use crate::state::{DcEndpoint, ServerState};
use crate::store::Store;

const KEY_PEM: &str = include_str!("../tests/fixtures/test_rsa_private_key.pem");

/// The demo world served as DCs `dcs` (no listener: the addresses are never
/// dialled), with this server as DC 1.
pub fn demo_state(dcs: impl IntoIterator<Item = i32>) -> ServerState {
    let world =
        crate::world::World::parse(include_str!("../../../tests/world/demo.toml"), "demo.toml")
            .expect("demo world");
    let endpoints = dcs
        .into_iter()
        .map(|id| DcEndpoint {
            id,
            addr: "127.0.0.1:1".parse().expect("address"),
            media_only: false,
        })
        .collect();
    ServerState::new(
        crate::keys::ServerKey::from_pem(KEY_PEM, "fixture").expect("fixture key"),
        world,
        Store::open(None).expect("memory store"),
        endpoints,
        Some(1),
    )
}
