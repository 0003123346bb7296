//! Serves the test fakes of CBS and Eurostat (illustrative fixtures, see tests/fixtures/) until
//! stopped, printing the variables that point Koers at them:
//!
//! ```sh
//! cargo run -p tests --example fake_upstreams
//! # CBS_ODATA_URL=http://127.0.0.1:41234
//! # EUROSTAT_API_URL=http://127.0.0.1:41235
//! ```
//! The browser tests use it to fill a store with breakdowns, permits and Eurostat figures.

use testkit::{FakeCbs, FakeEurostat};

#[tokio::main]
async fn main() {
    let cbs = FakeCbs::start().await;
    let eurostat = FakeEurostat::start().await;
    // Rust's stdout is line-buffered, so each line reaches a reading process at once.
    println!("CBS_ODATA_URL={}", cbs.url());
    println!("EUROSTAT_API_URL={}", eurostat.url());
    let _ = tokio::signal::ctrl_c().await;
}
