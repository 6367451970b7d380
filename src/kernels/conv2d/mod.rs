//! The convolution kernels (CubeCL, compiled to WGSL for WebGPU and to
//! SPIR-V for Vulkan) and their launches on Burn's cube backend.
//!
//! All three kernels share one shape: an invocation owns one pixel (or one
//! weight column) and a block of up to [`MAX_CHANNEL_BLOCK`] channels, kept
//! in registers. Lanes of a workgroup differ in their pixel and share their
//! channel block, so the operand that only depends on the channel (the
//! weight, or the output gradient in the weight gradient) is one uniform
//! load for the whole subgroup, and the operand that depends on the pixel
//! is loaded once and used `block` times. The kernel window is unrolled at
//! compile time, and what depends only on the window position (which rows
//! and columns fall into the padding) is worked out once, outside the loop
//! over channels. On the software renderers we measure on (SwiftShader,
//! lavapipe) a divergent load is a per-lane gather and a uniform one a
//! single load, which is what this layout is for; on a GPU the uniform
//! weight reads are broadcasts and neighbouring lanes read neighbouring
//! pixels.
//!
//! Tensors are NCHW and made contiguous first; only `f32` is supported
//! (Burn's default float, the only one the playground uses).
//!
//! Split as Burn's `custom-cubecl-kernel` example splits its kernel from
//! its launch: `kernels.rs` holds the `#[cube]` code, `geometry.rs` the host
//! arithmetic that chooses tiles, blocks and phases (unit tested there),
//! and `launch.rs` the `ConvKernels` implementation that launches the one
//! with the other.

mod geometry;
mod kernels;
mod launch;

pub use geometry::{Conv2dGeometry, GPU_INVOCATIONS, MAX_CHANNEL_BLOCK, MAX_TILE_COLUMNS, WIDE_LAYER};
