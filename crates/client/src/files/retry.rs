//! When a part of a transfer is tried again: after a lost connection or a
//! timeout (the retry policy of [`crate::invoke::policy`] already reconnected
//! and repeated it; the part gets a few more chances with growing pauses),
//! and after a flood wait short enough to sleep through. Everything else
//! ends the transfer.

use std::time::{Duration, SystemTime};

use super::error::FileError;
use crate::client::Client;
use crate::error::ClientError;

impl Client {
    /// Waits before attempt `*attempts + 1` of a part that failed with `e`,
    /// or returns the error that ends the transfer.
    pub(crate) async fn before_part_retry(
        &self,
        e: &ClientError,
        attempts: &mut u32,
        max_attempts: u32,
        max_flood_wait: Duration,
    ) -> Result<(), FileError> {
        match e {
            ClientError::Connect { .. } | ClientError::Timeout { .. } => {
                *attempts += 1;
                if *attempts > max_attempts {
                    return Err(e.clone().into());
                }
                tracing::debug!(attempt = *attempts, "part tried again: {e}");
                let pause = Duration::from_millis(100 * u64::from(*attempts));
                Ok(self.inner.sleep(pause).await?)
            }
            ClientError::FloodWait { until, .. } => {
                let left = until.duration_since(SystemTime::now()).unwrap_or_default();
                if left > max_flood_wait {
                    return Err(e.clone().into());
                }
                Ok(self.inner.sleep(left).await?)
            }
            _ => Err(e.clone().into()),
        }
    }
}
