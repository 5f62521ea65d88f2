//! `hearth-cli file-id decode ID` and `file-id encode JSON`: Bot API / Pyrogram `file_id`
//! and `file_unique_id` strings to their fields and back, with `hearth-fileid`. No data
//! directory, no network.
//!
//! The fields are `hearth_fileid::fields::Fields`: one JSON object whose `"kind"` says which
//! id it is (`file_id` or `file_unique_id`); `encode` takes exactly what `decode` prints.
//! A string is read as a `file_id` first; the two layouts are far enough apart that none is
//! both. Malformed input exits 2 ([`exit::USAGE`]) with the reason.

use clap::Subcommand;
use hearth_fileid::fields::{Fields, FileIdFields, UniqueFields};
use hearth_fileid::{FieldsError, FileId, FileUniqueId};
use serde_json::json;

use crate::exit::{self, Failure};
use crate::output::Output;

#[derive(Debug, Clone, Subcommand)]
pub enum FileIdCommand {
    /// Prints the fields of a file_id or file_unique_id as one JSON object.
    Decode {
        /// The id, as the Bot API or Pyrogram gives it (it may start with '-').
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Builds the id from the JSON object `decode` prints.
    Encode {
        /// The fields, e.g. '{"kind":"file_unique_id","type":"document","media_id":5}'.
        #[arg(value_name = "JSON")]
        fields: String,
    },
}

/// Runs the command and reports its result or failure; returns the exit code.
pub fn main(out: Output, cmd: FileIdCommand) -> u8 {
    match run(out, cmd) {
        Ok(()) => exit::OK,
        Err(f) => out.failure("file-id", &f),
    }
}

pub fn run(out: Output, cmd: FileIdCommand) -> Result<(), Failure> {
    match cmd {
        FileIdCommand::Decode { id } => {
            let fields = decode(id.trim())?;
            let value = serde_json::to_value(&fields).map_err(internal)?;
            // The struct's field order, "kind" first (a `Value` sorts its keys).
            let pretty = serde_json::to_string_pretty(&fields).map_err(internal)?;
            out.result(value, || pretty);
        }
        FileIdCommand::Encode { fields } => {
            let (kind, id) = encode(&fields)?;
            out.result(json!({"kind": kind, "id": id}), || id.clone());
        }
    }
    Ok(())
}

/// The fields of `id`, a file_id or else a file_unique_id.
pub fn decode(id: &str) -> Result<Fields, Failure> {
    let as_file_id = match FileId::decode(id) {
        Ok(f) => return Ok(Fields::FileId(FileIdFields::from(&f))),
        Err(e) => e,
    };
    match FileUniqueId::decode(id) {
        Ok(u) => Ok(Fields::FileUniqueId(UniqueFields::from(&u))),
        Err(as_unique) => Err(Failure::new(
            exit::USAGE,
            "FILE_ID_INVALID",
            format!(
                "not a file_id ({as_file_id}) nor a file_unique_id ({as_unique}); \
                 pass the id exactly as the Bot API or Pyrogram gave it"
            ),
        )
        .on_field("id")),
    }
}

/// The id the JSON fields describe, and its kind.
pub fn encode(json: &str) -> Result<(&'static str, String), Failure> {
    let fields: Fields = serde_json::from_str(json).map_err(|e| {
        Failure::new(
            exit::USAGE,
            "FIELDS_INVALID",
            format!(
                "not the JSON `file-id decode` prints: {e}; start from its output \
                 (\"kind\" is file_id or file_unique_id)"
            ),
        )
        .on_field("json")
    })?;
    let encoded = match &fields {
        Fields::FileId(f) => FileId::try_from(f)
            .map_err(fields_failure)?
            .encode()
            .map(|id| ("file_id", id)),
        Fields::FileUniqueId(f) => FileUniqueId::try_from(f)
            .map_err(fields_failure)?
            .encode()
            .map(|id| ("file_unique_id", id)),
    };
    encoded.map_err(|e| fields_failure(FieldsError::Encode(e)))
}

fn fields_failure(e: FieldsError) -> Failure {
    let field = match &e {
        FieldsError::Missing(f) => Some(*f),
        FieldsError::Unexpected { field, .. }
        | FieldsError::UnknownName { field, .. }
        | FieldsError::Invalid { field, .. } => Some(*field),
        FieldsError::Encode(_) => None,
    };
    let f = Failure::new(exit::USAGE, "FIELDS_INVALID", format!("cannot encode: {e}"));
    match field {
        Some(name) => f.on_field(name),
        None => f,
    }
}

fn internal(e: serde_json::Error) -> Failure {
    Failure::new(
        exit::FAILED,
        "INTERNAL",
        format!("cannot print the fields: {e}"),
    )
}
