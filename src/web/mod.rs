//! The browser's side of the core: choosing WebGPU or the CPU, fetching
//! Fashion-MNIST, and the training worker the page talks to.

pub mod channel;
pub mod fetch;
pub mod idb;
pub mod threads;
pub mod webgpu;
#[cfg(feature = "train")]
pub mod worker;

/// What page and worker say to each other (plain data, in the core).
pub use crate::protocol;

use wasm_bindgen::JsValue;

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
