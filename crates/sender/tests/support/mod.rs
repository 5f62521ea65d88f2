pub mod dc;
pub mod proxies;
