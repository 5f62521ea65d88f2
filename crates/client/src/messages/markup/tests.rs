use super::parse;
use crate::messages::entity::{utf16_slice, Entity, EntityKind};

fn e(offset: i32, length: i32, kind: EntityKind) -> Entity {
    Entity {
        offset,
        length,
        kind,
    }
}

/// The text each entity covers.
fn spans(text: &str, entities: &[Entity]) -> Vec<String> {
    entities
        .iter()
        .map(|e| utf16_slice(text, e.offset, e.length).expect("in range"))
        .collect()
}

#[test]
fn every_style_becomes_an_entity() {
    let (text, ents) = parse("**b** __i__ ++u++ ~~s~~ `c`");
    assert_eq!(text, "b i u s c");
    assert_eq!(
        ents,
        [
            e(0, 1, EntityKind::Bold),
            e(2, 1, EntityKind::Italic),
            e(4, 1, EntityKind::Underline),
            e(6, 1, EntityKind::Strike),
            e(8, 1, EntityKind::Code),
        ]
    );
}

#[test]
fn offsets_count_utf16_units_past_non_bmp_characters() {
    // 😀 and 𝄞 are outside the BMP: two UTF-16 units each.
    let (text, ents) = parse("😀 **𝄞 bold** [link 😀](https://example.org) __é__");
    assert_eq!(text, "😀 𝄞 bold link 😀 é");
    assert_eq!(
        ents,
        [
            e(3, 7, EntityKind::Bold),
            e(
                11,
                7,
                EntityKind::TextLink {
                    url: "https://example.org".into()
                }
            ),
            e(19, 1, EntityKind::Italic),
        ]
    );
    assert_eq!(spans(&text, &ents), ["𝄞 bold", "link 😀", "é"]);
}

#[test]
fn code_blocks_keep_their_language_and_ignore_markers_inside() {
    let (text, ents) = parse("see ```rust\nlet **x** = 1;``` done");
    assert_eq!(text, "see let **x** = 1; done");
    assert_eq!(
        ents,
        [e(
            4,
            14,
            EntityKind::Pre {
                language: "rust".into()
            }
        )]
    );
    let (text, ents) = parse("```\nplain```");
    assert_eq!(text, "plain");
    assert_eq!(
        ents,
        [e(
            0,
            5,
            EntityKind::Pre {
                language: "".into()
            }
        )]
    );
}

#[test]
fn mentions_by_username_and_by_id() {
    let (text, ents) = parse("hi @alice_l and [Bob 🛠](tg://user?id=42)! mail@example.org");
    assert_eq!(text, "hi @alice_l and Bob 🛠! mail@example.org");
    assert_eq!(
        ents,
        [
            e(3, 8, EntityKind::Mention),
            e(16, 6, EntityKind::MentionName { user_id: 42 }),
        ]
    );
    assert_eq!(spans(&text, &ents), ["@alice_l", "Bob 🛠"]);
}

#[test]
fn nested_styles_and_links() {
    let (text, ents) = parse("**bold __both__** [**l**](https://x.y)");
    assert_eq!(text, "bold both l");
    assert_eq!(
        ents,
        [
            e(0, 9, EntityKind::Bold),
            e(5, 4, EntityKind::Italic),
            e(10, 1, EntityKind::Bold),
            e(
                10,
                1,
                EntityKind::TextLink {
                    url: "https://x.y".into()
                }
            ),
        ]
    );
}

#[test]
fn unclosed_markers_escapes_and_odd_input_stay_text() {
    assert_eq!(parse("2 ** 3 = 8"), ("2 ** 3 = 8".into(), vec![]));
    assert_eq!(parse(r"\*\*not bold\*\*"), ("**not bold**".into(), vec![]));
    assert_eq!(
        parse("[no link](has space)"),
        ("[no link](has space)".into(), vec![])
    );
    assert_eq!(parse("trailing \\"), ("trailing \\".into(), vec![]));
    assert_eq!(parse("````"), ("````".into(), vec![]));
    assert_eq!(
        parse("****"),
        ("".into(), vec![]),
        "an empty span is dropped"
    );
    for odd in [
        "[",
        "[](",
        "[x](tg://user?id=zz)",
        "@",
        "@😀😀😀😀😀",
        "`",
        "__**__**",
    ] {
        let (text, ents) = parse(odd);
        for en in &ents {
            assert!(
                utf16_slice(&text, en.offset, en.length).is_some(),
                "{odd:?}"
            );
        }
    }
}
