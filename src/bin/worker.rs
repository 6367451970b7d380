//! The playground's training worker (built by trunk as a Web Worker; the
//! threaded CPU build by scripts/build-threads.sh).

#[cfg(target_arch = "wasm32")]
fn main() {
    cnn_playground::web::run_static_constructors();
    // A thread of the CPU backend's pool loads this same wasm: it waits
    // for `run_pool_thread` instead.
    if !cnn_playground::web::threads::is_pool_thread() {
        cnn_playground::web::worker::start();
    }
}

/// Runs one thread of the CPU backend's pool (see `web::threads`); called
/// by www/worker_thread.js.
#[cfg(all(target_arch = "wasm32", feature = "threads"))]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn run_pool_thread() {
    cnn_playground::web::threads::run_pool_thread();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The training worker runs in the browser, started by the playground page.");
    std::process::exit(2);
}
