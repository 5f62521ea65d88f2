pub mod dc;
// The same file the `test-support` feature exports as `hearth_sender::test_support`;
// each test binary uses some of it.
#[allow(dead_code)]
#[path = "../../src/test_support.rs"]
pub mod proxies;
