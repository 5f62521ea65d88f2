//! localdc's integration tests, one test binary (`cargo test -p localdc --test
//! it`): the generated TL crate and the client stack are linked once instead
//! of once per file. Each area is a module, so a test's name keeps its area
//! (`faults_link::…`) and `--test it faults_link::` runs one area.
//!
//! Invariants:
//! - the helper modules (`common`, `authz_support`, `channel_support`,
//!   `faults::support`) are declared once, here or in their area;
//! - no test relies on being alone in its process: `cargo test` runs them all
//!   on threads of one process (nextest gives each its own), so state is per
//!   localdc instance (free loopback ports, temporary directories), never
//!   process-global.

mod authz_support;
mod channel_support;
mod common;

mod accounts;
mod authz;
mod binary;
mod channel_parity;
mod channel_updates;
mod channels;
mod client_engine;
mod contacts;
mod difference;
mod faults;
mod faults_link;
mod forward_pins;
mod groups;
mod layers;
mod liveness;
mod login_code;
mod media;
mod messaging;
mod persist;
mod qr_login;
mod session;
mod telethon;
mod transports;
mod world_docs;
