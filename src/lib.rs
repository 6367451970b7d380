//! The classic CNNs of *Dive into Deep Learning*: their descriptions, shape
//! tables, Burn modules, Fashion-MNIST and the book's training loop, for the
//! command line and the browser alike.
//!
//! Dependencies point one way: `training` uses `model` and `data`, which use
//! `arch`, `shape`, `backend` and `kernels`; the command line and the page use them all.

pub mod arch;
#[cfg(feature = "train")]
pub mod backend;
pub mod bounds;
pub mod data;
pub mod device;
pub mod export;
pub mod format;
pub mod i18n;
/// Our own GPU kernels (convolutions), beside the backend they run on.
#[cfg(feature = "train")]
pub mod kernels;
pub mod lab;
pub mod link;
#[cfg(feature = "train")]
pub mod model;
pub mod picture;
pub mod protocol;
pub mod shape;
pub mod training;
pub mod weights;

/// The page (Leptos) and its training worker: browser only.
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
