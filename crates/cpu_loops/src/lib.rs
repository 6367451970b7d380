//! The CPU backend's loops that are ours, on plain slices: a convolution's
//! gradients (`conv`) and average pooling over non-overlapping windows
//! (`pool`). `src/kernels/cpu_conv.rs` and `cpu_pool.rs` in the playground
//! hand them Burn's tensors.
//!
//! Why a crate of its own: the browser's build is optimised for size
//! (opt-level "z"), which leaves these loops unvectorised and bounds-checked;
//! Cargo sets optimisation per package, so the playground's Cargo.toml builds
//! this one for speed, as it does Burn's CPU backend.

pub mod conv;
pub mod pool;
