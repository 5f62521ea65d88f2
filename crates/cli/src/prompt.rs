//! Asking the user on a terminal for what the command line did not give. Prompts go to
//! stderr; secrets are read without echo. Off a terminal nothing is asked: the caller fails
//! with a usage error naming the missing option instead.

use std::io::{BufRead, IsTerminal, Write};

use crate::exit::Failure;

/// Whether questions can be asked (stdin and stderr are a terminal).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Reads one line after `question`, on the blocking pool.
pub async fn line(question: &str) -> Result<String, Failure> {
    let question = question.to_owned();
    blocking(move || {
        eprint!("{question}");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "no input",
            ));
        }
        Ok(answer.trim().to_owned())
    })
    .await
}

/// Reads a secret without echo after `question`.
pub async fn secret(question: &str) -> Result<String, Failure> {
    let question = question.to_owned();
    blocking(move || rpassword::prompt_password(question)).await
}

async fn blocking(
    f: impl FnOnce() -> std::io::Result<String> + Send + 'static,
) -> Result<String, Failure> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(Failure::usage(format!("cannot read the answer: {e}"))),
        Err(e) => Err(Failure::usage(format!("cannot read the answer: {e}"))),
    }
}

/// The value of the environment variable `name` (for secrets given by `--…-env VAR`).
pub fn env_secret(option: &str, name: &str) -> Result<String, Failure> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Ok(v),
        Ok(_) => Err(Failure::usage(format!(
            "{option} {name}: the environment variable is empty"
        ))),
        Err(_) => Err(Failure::usage(format!(
            "{option} {name}: the environment variable is not set (export it, then run again)"
        ))),
    }
}
