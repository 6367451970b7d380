//! The playground's training worker (built by trunk as a Web Worker).

#[cfg(target_arch = "wasm32")]
fn main() {
    cnn_playground::web::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The training worker runs in the browser, started by the playground page.");
    std::process::exit(2);
}
