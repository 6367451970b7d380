//! `cnnp`: the playground's command line — shape tables, training and
//! benchmarks on the CPU backend or wgpu (Vulkan, Metal, DX12).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
