//! The book's training loop (`train_ch6`), written once for the command line
//! and the browser.
//!
//! It is `async` and never reads a tensor synchronously: on the browser's
//! WebGPU a synchronous read panics, so every read goes through
//! `into_data_async`. What it reports goes through a [`Host`]: events for a
//! progress bar or a chart, the clock, and a point between steps where a
//! page yields to the browser (and waits while paused). Burn's `burn-train`
//! learner does not run in wasm, hence this loop.
//!
//! The settings and the reports are plain data (`settings`, `events`), which
//! the page uses without Burn; the loop (`run`) needs the `train` feature.

mod events;
pub mod explain;
#[cfg(feature = "train")]
mod gradients;
#[cfg(feature = "train")]
mod inside;
#[cfg(feature = "train")]
mod profile;
#[cfg(feature = "train")]
mod run;
mod settings;

pub use events::*;
#[cfg(feature = "train")]
pub use gradients::*;
#[cfg(feature = "train")]
pub use inside::*;
#[cfg(feature = "train")]
pub use profile::*;
#[cfg(feature = "train")]
pub use run::*;
pub use settings::*;
