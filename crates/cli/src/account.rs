//! `hearth-cli account list | remove ID`.

use clap::Subcommand;
use hearth_accounts::{AccountId, AccountView};
use serde_json::json;

use crate::context::Context;
use crate::exit::Failure;
use crate::output::Output;

#[derive(Debug, Clone, Subcommand)]
pub enum AccountCommand {
    /// Lists the accounts in sidebar order: id, name, user id, DC, network.
    List,
    /// Forgets an account on this computer: deletes its session and its keys from the OS
    /// keyring. Telegram still lists the session until it is ended there (see logout).
    Remove {
        /// The account's id (from `account list`).
        id: i64,
    },
}

/// One line of `account list`.
pub fn describe(v: &AccountView) -> String {
    let who = match (&v.username, &v.phone) {
        (Some(u), _) => format!("@{u}"),
        (None, Some(p)) => format!("+{p}"),
        (None, None) => String::new(),
    };
    let user = v.user_id.map_or_else(|| "-".to_owned(), |u| u.to_string());
    format!(
        "{:>4}  {:<24} {:<20} user {:<12} DC {}  {}{}",
        v.id.0,
        v.display_name(),
        who,
        user,
        v.dc,
        v.network,
        if v.is_bot { "  bot" } else { "" }
    )
}

pub async fn run(ctx: &Context, out: Output, cmd: AccountCommand) -> Result<(), Failure> {
    let accounts = &ctx.accounts;
    match cmd {
        AccountCommand::List => {
            let list = accounts.list()?;
            if list.is_empty() {
                out.note("No accounts yet; add one with `hearth-cli login`.");
            }
            for v in &list {
                out.result(json!(v), || describe(v));
            }
        }
        AccountCommand::Remove { id } => {
            let id = AccountId(id);
            accounts.remove(id).await?;
            out.result(json!({"removed": id.0}), || {
                format!("Account {id} removed from this computer; its keys were deleted from the keyring.")
            });
        }
    }
    Ok(())
}
