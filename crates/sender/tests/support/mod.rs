pub mod proxies;
