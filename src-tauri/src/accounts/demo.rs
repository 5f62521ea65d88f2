//! The demo world's accounts as the Add account page lists them for the
//! Local test network, so a new user can sign in guided by the screen alone.
//!
//! Test numbers follow Telegram's rule for test DCs
//! (<https://core.telegram.org/api/auth#test-accounts>): `99966XYYYY` lives
//! on DC X and its login code is X repeated five times; localdc follows it.

use localdc::world::{test_phone_dc, World};

use super::types::DemoAccount;
use crate::diagnostics::local::DEMO_WORLD;

/// The login code of a test number, if it is one.
pub fn test_code(phone: &str) -> Option<String> {
    let dc = test_phone_dc(phone.trim_start_matches('+'))?;
    Some(dc.to_string().repeat(5))
}

/// Every account and bot of `world`, in the order the world lists them.
pub fn demo_accounts(world: &World) -> Vec<DemoAccount> {
    let people = world.accounts.iter().map(|a| DemoAccount {
        name: format!("{} {}", a.first_name, a.last_name)
            .trim()
            .to_owned(),
        phone: Some(format!("+{}", a.phone)),
        code: test_code(&a.phone),
        password: a.password.clone(),
        password_hint: a.password_hint.clone(),
        bot_token: None,
    });
    let bots = world.bots.iter().map(|b| DemoAccount {
        name: format!("{} (@{})", b.first_name, b.username),
        phone: None,
        code: None,
        password: None,
        password_hint: None,
        bot_token: Some(b.token.clone()),
    });
    people.chain(bots).collect()
}

/// The built-in demo world's accounts (empty if it failed to parse, which
/// the local network's start reports on its own).
pub fn builtin_demo_accounts() -> Vec<DemoAccount> {
    World::parse(DEMO_WORLD, "built-in demo world")
        .map(|world| demo_accounts(&world))
        .unwrap_or_default()
}
