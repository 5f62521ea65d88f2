//! `hearth-cli login`: adds an account through hearth-accounts' login flow, asking on a
//! terminal for whatever the options did not give (phone, code, 2FA password, names for a
//! new number, api_id/api_hash), or by QR code (`--qr`), or as a bot (`--bot-token-env`).
//! Secrets (password, bot token, api_hash) come from environment variables or a hidden
//! prompt, never from the command line, which other users can read.

use std::time::UNIX_EPOCH;

use clap::Args;
use hearth_accounts::{
    AccountView, AccountsError, ApiCredentials, CodeSent, LoginFlow, LoginStep, Network,
    NetworkSpec, QrCode,
};
use serde_json::json;

use crate::context::Context;
use crate::exit::{self, Failure};
use crate::output::Output;
use crate::prompt;

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// `local FILE` (a localdc: FILE holds the JSON line it printed), `production` or `test`.
    #[arg(long, required = true, num_args = 1..=2, value_names = ["NETWORK", "FILE"])]
    pub network: Vec<String>,
    /// The phone number, in international format.
    #[arg(long, conflicts_with_all = ["qr", "bot_token_env"])]
    pub phone: Option<String>,
    /// The login code Telegram sent.
    #[arg(long, requires = "phone")]
    pub code: Option<String>,
    /// Read the two-step verification password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Sign a bot in with the token in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "qr")]
    pub bot_token_env: Option<String>,
    /// Sign in by scanning a QR code with a Telegram app already signed in to the account.
    #[arg(long)]
    pub qr: bool,
    /// The account's name in Hearth (default: its Telegram name).
    #[arg(long)]
    pub label: Option<String>,
    /// Production/test: the api_id from my.telegram.org (saved for the next logins).
    #[arg(long, requires = "api_hash_env")]
    pub api_id: Option<i32>,
    /// Production/test: read the api_hash from this environment variable.
    #[arg(long, value_name = "VAR", requires = "api_id")]
    pub api_hash_env: Option<String>,
    /// A new number: the first name to sign up with.
    #[arg(long)]
    pub first_name: Option<String>,
    /// A new number: the last name to sign up with.
    #[arg(long, default_value = "")]
    pub last_name: String,
}

/// The network the arguments name.
async fn spec(ctx: &Context, args: &LoginArgs, interactive: bool) -> Result<NetworkSpec, Failure> {
    let api = (args.api_id, args.api_hash_env.as_deref());
    network_spec(ctx, &args.network, api, interactive).await
}

/// The network `--network` names (`local FILE`, `production`, `test`), with the api
/// credentials of `--api-id`/`--api-hash-env` (production and test).
pub(crate) async fn network_spec(
    ctx: &Context,
    network: &[String],
    api: (Option<i32>, Option<&str>),
    interactive: bool,
) -> Result<NetworkSpec, Failure> {
    let kind = network[0].as_str();
    match (kind, network.get(1)) {
        ("local", Some(file)) => Ok(NetworkSpec::Local {
            announcement: file.into(),
        }),
        ("local", None) => Err(Failure::usage(
            "--network local needs the file holding the JSON line localdc printed",
        )
        .on_field("network")),
        ("production" | "test", None) => {
            let network = if kind == "test" {
                Network::Test
            } else {
                Network::Production
            };
            let api = api_credentials(ctx, api, network, interactive).await?;
            Ok(if kind == "test" {
                NetworkSpec::Test { api }
            } else {
                NetworkSpec::Production { api }
            })
        }
        _ => Err(Failure::usage(format!(
            "--network takes local FILE, production or test; got \"{}\"",
            network.join(" ")
        ))
        .on_field("network")),
    }
}

/// `--api-id`/`--api-hash-env`, else the saved pair (`None`), else asked on a terminal.
async fn api_credentials(
    ctx: &Context,
    api: (Option<i32>, Option<&str>),
    network: Network,
    interactive: bool,
) -> Result<Option<ApiCredentials>, Failure> {
    if let (Some(id), Some(var)) = api {
        let hash = prompt::env_secret("--api-hash-env", var)?;
        return Ok(Some(ApiCredentials::new(id, &hash)?));
    }
    if ctx.accounts.api_credentials(network)?.is_some() || !interactive {
        return Ok(None);
    }
    eprintln!("Signing in to Telegram needs an api_id and api_hash: create an app at my.telegram.org under API development tools.");
    let id = prompt::line("api_id: ").await?;
    let id: i32 = id
        .parse()
        .map_err(|_| Failure::usage("the api_id is a number").on_field("api_id"))?;
    let hash = prompt::secret("api_hash: ").await?;
    Ok(Some(ApiCredentials::new(id, &hash)?))
}

pub async fn run(ctx: &Context, out: Output, args: LoginArgs) -> Result<(), Failure> {
    let interactive = prompt::interactive();
    let spec = spec(ctx, &args, interactive).await?;
    let mut flow = ctx.accounts.begin_login(spec, args.label.clone()).await?;
    let outcome = tokio::select! {
        r = drive(&mut flow, &args, out, interactive) => r,
        _ = tokio::signal::ctrl_c() => Err(Failure::new(
            exit::INTERRUPTED,
            "INTERRUPTED",
            "interrupted; the unfinished login was cancelled",
        )),
    };
    let view = match outcome {
        Ok(view) => view,
        Err(e) => {
            if let Err(clean) = flow.cancel().await {
                eprintln!("hearth-cli login: {clean}");
            }
            return Err(e);
        }
    };
    out.result(json!({ "account": view }), || {
        let who = view
            .username
            .as_ref()
            .map(|u| format!(" (@{u})"))
            .unwrap_or_default();
        format!(
            "Signed in as {}{who}: account {}, user {}, DC {}, {} network.",
            view.display_name(),
            view.id,
            view.user_id.unwrap_or_default(),
            view.dc,
            view.network
        )
    });
    Ok(())
}

async fn drive(
    flow: &mut LoginFlow,
    args: &LoginArgs,
    out: Output,
    interactive: bool,
) -> Result<AccountView, Failure> {
    if let Some(var) = &args.bot_token_env {
        let token = prompt::env_secret("--bot-token-env", var)?;
        return Ok(flow.bot_token(&token).await?);
    }
    if args.qr {
        out.note("Scan the QR code with Telegram on a phone signed in to the account: Settings > Devices > Link Desktop Device.");
        let step = flow.qr(|code| show_qr(out, code)).await?;
        return finish(flow, step, args, interactive).await;
    }
    let phone = match &args.phone {
        Some(p) => p.clone(),
        None if interactive => {
            prompt::line("Phone number (international format, e.g. +44 7700 900123): ").await?
        }
        None => {
            return Err(missing(
                "--phone P (or --qr, or --bot-token-env VAR)",
                "phone",
            ));
        }
    };
    let sent = flow.request_code(&phone).await?;
    report_code(out, &sent);
    let mut given = args.code.clone();
    loop {
        let code = match given.take() {
            Some(c) => c,
            None if interactive => prompt::line("Login code: ").await?,
            None => return Err(missing("--code C (the code Telegram just sent)", "code")),
        };
        match flow.submit_code(&code).await {
            Ok(step) => return finish(flow, step, args, interactive).await,
            Err(e) if interactive && retryable(&e, "code") => eprintln!("{e}"),
            Err(e) => return Err(e.into()),
        }
    }
}

/// After a code or QR login: done, or the password, or sign-up.
async fn finish(
    flow: &mut LoginFlow,
    step: LoginStep,
    args: &LoginArgs,
    interactive: bool,
) -> Result<AccountView, Failure> {
    match step {
        LoginStep::Done(view) => Ok(view),
        LoginStep::PasswordRequired { hint } => {
            let mut from_env = match &args.password_env {
                Some(var) => Some(prompt::env_secret("--password-env", var)?),
                None => None,
            };
            let question = match &hint {
                Some(h) => format!("Two-step verification password (hint: {h}): "),
                None => "Two-step verification password: ".to_owned(),
            };
            loop {
                let password = match from_env.take() {
                    Some(p) => p,
                    None if interactive => prompt::secret(&question).await?,
                    None => {
                        return Err(missing(
                            "--password-env VAR (the account has two-step verification)",
                            "password",
                        ))
                    }
                };
                match flow.submit_password(&password).await {
                    Ok(view) => return Ok(view),
                    Err(e) if interactive && retryable(&e, "password") => eprintln!("{e}"),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        LoginStep::SignUpRequired { terms } => {
            if let Some(terms) = terms {
                eprintln!("Telegram's terms of service for new accounts:\n{terms}\n");
            }
            let first = match &args.first_name {
                Some(f) => f.clone(),
                None if interactive => {
                    prompt::line("No account uses this number yet. First name to sign up with: ")
                        .await?
                }
                None => {
                    return Err(missing(
                        "--first-name NAME (no account uses this number yet)",
                        "first_name",
                    ))
                }
            };
            Ok(flow.sign_up(&first, &args.last_name).await?)
        }
    }
}

fn retryable(e: &AccountsError, field: &str) -> bool {
    e.field() == Some(field) && e.code() != "FLOOD_WAIT"
}

fn missing(what: &str, field: &'static str) -> Failure {
    Failure::usage(format!("give {what}, or run on a terminal to be asked")).on_field(field)
}

fn report_code(out: Output, sent: &CodeSent) {
    let via = format!("{:?}", sent.kind).to_lowercase();
    out.result(
        json!({"code_sent": {
            "phone": sent.phone,
            "via": via,
            "length": sent.length,
            "hint": sent.hint,
            "timeout_secs": sent.timeout.map(|t| t.as_secs()),
        }}),
        || {
            let digits = sent
                .length
                .map(|n| format!("{n}-digit "))
                .unwrap_or_default();
            let place = match sent.kind {
                hearth_accounts::CodeKind::App => "the Telegram app of".to_owned(),
                _ => format!("{via} to"),
            };
            let hint = sent
                .hint
                .as_deref()
                .map(|h| format!(" Look for: {h}."))
                .unwrap_or_default();
            format!(
                "A {digits}login code was sent to {place} +{}.{hint}",
                sent.phone
            )
        },
    );
}

fn show_qr(out: Output, code: &QrCode) {
    let expires = code
        .expires
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stdout());
    out.result(json!({"qr": {"url": code.url, "expires": expires}}), || {
        let drawing = match crate::qr::draw(&code.url) {
            Some(d) if terminal => format!("{d}\n"),
            _ => String::new(),
        };
        format!("{drawing}{}", code.url)
    });
}
