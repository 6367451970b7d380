//! The playground page (built for the browser by trunk from `index.html`).

#[cfg(target_arch = "wasm32")]
fn main() {
    cnn_playground::web::run_static_constructors();
    cnn_playground::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The playground runs in the browser: `bash scripts/play.sh` serves it at http://127.0.0.1:8080"
    );
    std::process::exit(2);
}
