//! Where tensors live: Burn's CPU backend (`flex`) or wgpu (Vulkan, Metal or
//! DX12 natively; WebGPU in the browser). Everything else takes a `Device`
//! and runs the same on either.

use burn::tensor::Device;

/// Which backend runs a net.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    Cpu,
    Wgpu,
}

impl BackendKind {
    pub fn id(self) -> &'static str {
        match self {
            BackendKind::Cpu => "cpu",
            BackendKind::Wgpu => "wgpu",
        }
    }

    pub fn from_id(id: &str) -> Option<BackendKind> {
        [BackendKind::Cpu, BackendKind::Wgpu]
            .into_iter()
            .find(|kind| kind.id() == id)
    }
}

/// Burn's own CPU backend.
pub fn cpu() -> Device {
    Device::flex()
}

/// The default wgpu adapter, natively. (The browser's comes from `crate::web`.)
/// Burn's wgpu runtime initialises once per process, so the first answer is
/// kept and handed out again.
#[cfg(all(not(target_family = "wasm"), feature = "webgpu"))]
pub fn wgpu() -> Result<Device, String> {
    static WGPU: std::sync::OnceLock<Result<Device, String>> = std::sync::OnceLock::new();
    WGPU.get_or_init(|| {
        Device::wgpu_options()
            .init()
            .map_err(|e| format!("no wgpu adapter: {e}"))
    })
    .clone()
}

/// The device for `kind`, natively.
#[cfg(not(target_family = "wasm"))]
pub fn native(kind: BackendKind) -> Result<Device, String> {
    match kind {
        BackendKind::Cpu => Ok(cpu()),
        #[cfg(feature = "webgpu")]
        BackendKind::Wgpu => wgpu(),
        #[cfg(not(feature = "webgpu"))]
        BackendKind::Wgpu => Err("this build has no wgpu backend (the `webgpu` feature)".to_string()),
    }
}
