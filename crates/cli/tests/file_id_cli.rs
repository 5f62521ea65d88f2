//! `hearth-cli file-id decode|encode`: ids to fields and back through the binary, with its
//! exit codes and `--json` lines. The ids are published Bot API ids with their fields.

use std::process::{Command, Output};

mod support;

use support::{lines, BIN};

const STICKER: &str = "CAACAgIAAxkBAAIEol9yQhBqFnT4HXldAh31a-hYXuDIAAIECwACAoujAAFFn1sl9AABHbkbBA";
const STICKER_UNIQUE: &str = "AgADBAsAAgKLowAB";
const PHOTO: &str =
    "AgACAgIAAxkBAAIENGfeY4AfRquwTL2LpDrzqvFMVNt_AAIG9DEbXX3wSq3oI7t_PqQGAQADAgADbQADNgQ";

fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn decodes_a_file_id_and_encodes_it_back() {
    let out = cli(&["--json", "file-id", "decode", STICKER]);
    let fields = &lines(&out.stdout)[0];
    assert_eq!(fields["kind"], "file_id");
    assert_eq!(fields["file_type"], "sticker");
    assert_eq!(fields["dc_id"], 2);
    assert_eq!(fields["media_id"], 46033261910035204i64);
    assert_eq!(fields["access_hash"], -5107925353769492667i64);
    assert_eq!(
        (fields["major"].as_u64(), fields["minor"].as_u64()),
        (Some(4), Some(27))
    );

    let back = cli(&["file-id", "encode", &fields.to_string()]);
    assert_eq!(stdout(&back).trim(), STICKER);
    let back = cli(&["--json", "file-id", "encode", &fields.to_string()]);
    assert_eq!(lines(&back.stdout)[0]["id"], STICKER);
    assert_eq!(lines(&back.stdout)[0]["kind"], "file_id");
}

#[test]
fn the_human_form_is_the_same_json_pretty_printed() {
    let human = stdout(&cli(&["file-id", "decode", PHOTO]));
    assert!(human.lines().count() > 5, "{human}");
    let fields: serde_json::Value = serde_json::from_str(&human).unwrap();
    assert_eq!(fields["thumbnail_source"], "thumbnail");
    assert_eq!(fields["thumbnail_size"], "m");
    assert_eq!(stdout(&cli(&["file-id", "encode", &human])).trim(), PHOTO);
}

#[test]
fn decodes_a_file_unique_id_and_says_so() {
    let out = cli(&["--json", "file-id", "decode", STICKER_UNIQUE]);
    let fields = &lines(&out.stdout)[0];
    assert_eq!(fields["kind"], "file_unique_id");
    assert_eq!(fields["type"], "document");
    assert_eq!(fields["media_id"], 46033261910035204i64);
    let back = cli(&["file-id", "encode", &fields.to_string()]);
    assert_eq!(stdout(&back).trim(), STICKER_UNIQUE);
}

#[test]
fn malformed_ids_exit_2_with_the_reason() {
    for (id, says) in [
        ("not*base64", "base64"),
        (&STICKER[..40], "unsupported file id version"),
        ("AgADBAsAAgKLowABAA", "zero run"),
    ] {
        let out = cli(&["file-id", "decode", id]);
        assert_eq!(out.status.code(), Some(2), "{id}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{id}: {err}");
        assert!(
            err.contains("file_unique_id"),
            "both readings are reported: {err}"
        );

        let out = cli(&["--json", "file-id", "decode", id]);
        assert_eq!(out.status.code(), Some(2));
        let e = &lines(&out.stdout)[0]["error"];
        assert_eq!(e["code"], "FILE_ID_INVALID");
        assert_eq!(e["field"], "id");
        assert_eq!(e["exit"], 2);
    }
}

#[test]
fn bad_fields_exit_2_naming_the_field() {
    for (json, field) in [
        ("{not json", "json"),
        (r#"{"kind":"file_id","major":4}"#, "json"),
        (
            r#"{"kind":"file_unique_id","type":"video","media_id":1}"#,
            "type",
        ),
        (r#"{"kind":"file_unique_id","type":"document"}"#, "media_id"),
        (
            r#"{"kind":"file_unique_id","type":"document","media_id":1,"url":"u"}"#,
            "url",
        ),
        (
            r#"{"kind":"file_id","major":4,"minor":30,"file_type":"photo","dc_id":1,"media_id":1,"access_hash":2}"#,
            "volume_id",
        ),
    ] {
        let out = cli(&["--json", "file-id", "encode", json]);
        assert_eq!(out.status.code(), Some(2), "{json}");
        let e = &lines(&out.stdout)[0]["error"];
        assert_eq!(e["code"], "FIELDS_INVALID", "{json}");
        assert_eq!(e["field"], field, "{json}: {e}");
    }
}

#[test]
fn an_argument_starting_with_a_hyphen_is_read_as_an_id() {
    // base64url's '-' is a letter; such a string gets the id's diagnosis, not clap's.
    let out = cli(&["--json", "file-id", "decode", "-AgADBAsAAgKLowAB"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(lines(&out.stdout)[0]["error"]["code"], "FILE_ID_INVALID");
}
