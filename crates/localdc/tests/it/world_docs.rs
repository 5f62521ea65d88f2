//! `docs/world-format.md` against the loader: every TOML example in it is a
//! valid world with the ids and defaults the page states, and the clients
//! suite's world written from that page alone (`tests/clients/world-docs.toml`)
//! loads.

use std::path::Path;

use localdc::world::World;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The fenced ```toml blocks of a Markdown text.
fn toml_blocks(md: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```toml") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_documented_example_is_a_world_with_the_stated_ids_and_defaults() {
    let md = std::fs::read_to_string(root().join("docs/world-format.md")).expect("the page");
    let blocks = toml_blocks(&md);
    assert_eq!(blocks.len(), 1, "one example on the page");
    let world = World::parse(&blocks[0], "docs/world-format.md").expect("the example loads");
    // Accounts from 1000001 in file order; a bot's id is its token's.
    assert_eq!(world.user_id("ann"), Some(1_000_001));
    assert_eq!(world.user_id("cy"), Some(1_000_003));
    assert_eq!(world.user_id("echo"), Some(7_000_099));
    // Test numbers live on their DC; other numbers on the `dc` given.
    let dc = |name: &str| {
        world
            .accounts
            .iter()
            .find(|a| a.name == name)
            .unwrap()
            .home_dc()
    };
    assert_eq!((dc("ann"), dc("ben"), dc("cy")), (2, 4, 1));
    // Documented defaults.
    assert_eq!(world.bots[0].dc, 2);
    assert!(!world.channels[0].megagroup);
    assert!(world.server.auth_key_duplicated);
    assert_eq!(world.server.file_reference_secs, 3600);
    assert_eq!(world.accounts[0].last_name, "");
}

#[test]
fn a_world_written_from_the_page_alone_loads() {
    let path = root().join("crates/localdc/tests/clients/world-docs.toml");
    let world = World::load(&path).expect("world-docs.toml loads");
    assert_eq!(world.accounts.len(), 4);
    assert_eq!(world.channels.len(), 2);
    assert!(world.accounts.iter().any(|a| a.password.is_some()));
}

#[test]
fn what_the_page_says_is_refused_is_refused() {
    for (bad, says) in [
        (
            "[[account]]\nname = \"x\"\nphone = \"15550001111\"\nfirst_name = \"X\"\n",
            "dc = N",
        ),
        (
            "[[account]]\nname = \"x\"\nphone = \"9996621111\"\nfirst_name = \"X\"\ndc = 3\n",
            "belongs to DC 2",
        ),
        (
            "[[bot]]\nname = \"b\"\ntoken = \"5:s\"\nusername = \"helper\"\nfirst_name = \"B\"\n",
            "must end in \"bot\"",
        ),
        ("[server]\nport = 1\n", "unknown field"),
    ] {
        let e = World::parse(bad, "t").expect_err(bad).to_string();
        assert!(e.contains(says), "{bad:?}: {e}");
    }
}
