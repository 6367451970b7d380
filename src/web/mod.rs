//! The browser's side of the core: choosing WebGPU or the CPU, fetching
//! Fashion-MNIST, and the training worker the page talks to.

pub mod fetch;
pub mod protocol;
pub mod threads;
pub mod webgpu;
#[cfg(feature = "train")]
pub mod worker;
