//! The browser's side of the core: choosing WebGPU or the CPU, fetching
//! Fashion-MNIST, and the training worker the page talks to.

pub mod channel;
pub mod fetch;
pub mod idb;
pub mod service;
pub mod shards;
pub mod threads;
pub mod webgpu;
#[cfg(feature = "train")]
pub mod worker;

/// What page and worker say to each other (plain data, in the core).
pub use crate::protocol;

use wasm_bindgen::JsValue;

unsafe extern "C" {
    /// Synthesised by the linker: runs every static constructor of the
    /// module (cubecl's ~4,700 `inventory` registrations in the worker).
    fn __wasm_call_ctors();
}

/// Runs the module's static constructors, once, at the top of `main`.
///
/// Why: a wasm `bin` is linked as a "command". Unless some code calls
/// `__wasm_call_ctors` itself, wasm-ld wraps *every* export (the
/// allocator, wasm-bindgen's externref table) so that it runs all the
/// constructors again first — in the worker that was 4,892 of them on each
/// JS→wasm call, most of a training step's own time (BENCHMARKS.md, "The
/// H200"). Calling it here is what tells the linker not
/// to wrap. `inventory`'s registrations are idempotent, so a pool thread
/// that runs `main` again is harmless.
pub fn run_static_constructors() {
    // SAFETY: the linker's own function; the constructors it runs are
    // `inventory` registrations, which may run more than once.
    unsafe { __wasm_call_ctors() }
}

/// `target[key]`, or `undefined`.
pub(crate) fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key]` as a whole number, or 0.
pub(crate) fn number(target: &JsValue, key: &str) -> u64 {
    get(target, key).as_f64().unwrap_or(0.0) as u64
}

/// Whether `globalThis[key]` is `true`.
pub(crate) fn global_flag(key: &str) -> bool {
    get(&js_sys::global(), key).as_bool().unwrap_or(false)
}
