//! How a kernel's invocations are laid out in a dispatch ([`Launch::grid`]),
//! how an invocation finds its place in it ([`invocation_index`]), the
//! tensors a launch writes ([`empty`]), and the record of launches the
//! parallelism report reads ([`record_launches`]): shared by all our cube
//! kernels.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use burn::tensor::{DType, Shape};
use burn_cubecl::ops::numeric::empty_device_dtype;
use burn_cubecl::tensor::CubeTensor;
use cubecl::prelude::*;

/// Invocations per workgroup.
pub(super) const WORKGROUP_SIZE: u32 = 64;

/// WebGPU's limit on workgroups along one axis of a dispatch.
const MAX_GROUPS_PER_AXIS: usize = 65_535;

/// The linear index of this invocation in a dispatch of [`grid`].
#[cube]
pub(super) fn invocation_index() -> usize {
    let group = CUBE_POS_Y as usize * CUBE_COUNT_X as usize + CUBE_POS_X as usize;
    group * CUBE_DIM_X as usize + UNIT_POS_X as usize
}

/// One launch of one of our kernels: what it asks of the GPU. A real GPU
/// needs tens of thousands of invocations in flight; a launch with few
/// invocations that each do much work leaves most of it idle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The kernel, as its `#[cube]` function is named.
    pub kernel: &'static str,
    /// Workgroups in the dispatch.
    pub workgroups: usize,
    /// Invocations per workgroup.
    pub workgroup_size: usize,
    /// Invocations with work to do (the rest of the last workgroups idle).
    pub active: usize,
    /// The inner loop's length per active invocation: multiply-adds, or
    /// values read for kernels that only sum or move values.
    pub work: usize,
    /// Values the launch writes.
    pub outputs: usize,
}

/// What the page knows of its WebGPU adapter: 0 nothing (natively: ask
/// the device), 1 a software renderer, 2 a GPU.
static ADAPTER: AtomicU8 = AtomicU8::new(0);

/// Says whether the adapter our kernels run on is a software renderer
/// (SwiftShader, lavapipe: their tiles stay large) or a GPU (tiles spread
/// until a launch exposes enough invocations). The page says so from its
/// adapter's info; natively the device says so itself, and tests call this
/// to run the other shapes.
pub fn set_software_adapter(software: bool) {
    ADAPTER.store(if software { 1 } else { 2 }, Ordering::Relaxed);
}

/// Whether launches on `tensor`'s device are shaped for a real GPU (see
/// [`set_software_adapter`]): natively, whether cubecl found a card behind
/// the device (none for a CPU adapter such as lavapipe).
pub(super) fn on_real_gpu(tensor: &CubeTensor) -> bool {
    match ADAPTER.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => tensor.client.properties().identity.physical.is_some(),
    }
}

static RECORDING: AtomicBool = AtomicBool::new(false);
static LAUNCHES: Mutex<Vec<Launch>> = Mutex::new(Vec::new());

/// Starts recording every launch of our kernels (`cnnp bench --launches`),
/// forgetting any recorded before.
pub fn record_launches() {
    LAUNCHES.lock().unwrap_or_else(|e| e.into_inner()).clear();
    RECORDING.store(true, Ordering::Relaxed);
}

/// Stops recording; the launches since [`record_launches`], in order.
pub fn recorded_launches() -> Vec<Launch> {
    RECORDING.store(false, Ordering::Relaxed);
    std::mem::take(&mut *LAUNCHES.lock().unwrap_or_else(|e| e.into_inner()))
}

impl Launch {
    /// Notes the launch where launches are recorded; hands back its
    /// dispatch.
    pub(super) fn noted(self, dispatch: (CubeCount, CubeDim)) -> (CubeCount, CubeDim) {
        if RECORDING.load(Ordering::Relaxed) {
            LAUNCHES.lock().unwrap_or_else(|e| e.into_inner()).push(self);
        }
        dispatch
    }

    /// `units` invocations in workgroups of [`WORKGROUP_SIZE`], spread over x
    /// and y to stay under the per-axis limit, times `blocks` along z; each
    /// active invocation does `work` (see [`Launch::work`]), and the launch
    /// writes `outputs` values.
    pub(super) fn grid(
        kernel: &'static str,
        [units, blocks]: [usize; 2],
        work: usize,
        outputs: usize,
    ) -> (CubeCount, CubeDim) {
        let dispatch = grid(units, blocks);
        let CubeCount::Static(x, y, z) = dispatch.0 else {
            unreachable!("grid gives a static count")
        };
        let launch = Launch {
            kernel,
            workgroups: (x * y * z) as usize,
            workgroup_size: WORKGROUP_SIZE as usize,
            active: units * blocks,
            work,
            outputs,
        };
        launch.noted(dispatch)
    }

    /// One invocation per value written, each doing `work`.
    pub(super) fn elementwise(kernel: &'static str, units: usize, work: usize) -> (CubeCount, CubeDim) {
        Launch::grid(kernel, [units, 1], work, units)
    }
}

/// `units` invocations in workgroups of [`WORKGROUP_SIZE`], spread over x
/// and y to stay under the per-axis limit, times `blocks` along z.
fn grid(units: usize, blocks: usize) -> (CubeCount, CubeDim) {
    let groups = units.div_ceil(WORKGROUP_SIZE as usize).max(1);
    let x = groups.min(MAX_GROUPS_PER_AXIS);
    let y = groups.div_ceil(x);
    assert!(
        y <= MAX_GROUPS_PER_AXIS && blocks <= MAX_GROUPS_PER_AXIS,
        "a dispatch of {units} invocations × {blocks} blocks is too large to dispatch"
    );
    (
        CubeCount::Static(x as u32, y as u32, blocks as u32),
        CubeDim::new_1d(WORKGROUP_SIZE),
    )
}

/// An uninitialised f32 tensor of `shape` on `like`'s device: a kernel's
/// output, every value of which the kernel writes.
pub(super) fn empty(like: &CubeTensor, shape: impl Into<Shape>) -> CubeTensor {
    empty_device_dtype(like.client.clone(), like.device.clone(), shape.into(), DType::F32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `(x, y, z)` workgroup counts of a dispatch, checking its
    /// workgroup size on the way.
    fn groups((count, dim): (CubeCount, CubeDim)) -> (usize, usize, usize) {
        assert_eq!(dim, CubeDim::new_1d(WORKGROUP_SIZE));
        match count {
            CubeCount::Static(x, y, z) => (x as usize, y as usize, z as usize),
            CubeCount::Dynamic(_) => panic!("grid gives a static count"),
        }
    }

    #[test]
    fn small_dispatches_are_one_row_of_workgroups() {
        assert_eq!(groups(grid(0, 1)), (1, 1, 1));
        assert_eq!(groups(grid(1, 1)), (1, 1, 1));
        assert_eq!(groups(grid(64, 1)), (1, 1, 1));
        assert_eq!(groups(grid(65, 3)), (2, 1, 3));
        // LeNet's first convolution at batch 256: 256 × 28 rows × 2 tiles.
        assert_eq!(groups(grid(14_336, 1)), (224, 1, 1));
        assert_eq!(groups(Launch::elementwise("test", 1000, 1)), (16, 1, 1));
    }

    #[test]
    fn large_dispatches_wrap_onto_a_second_axis() {
        let full_row = MAX_GROUPS_PER_AXIS * WORKGROUP_SIZE as usize;
        assert_eq!(groups(grid(full_row, 1)), (65_535, 1, 1));
        assert_eq!(groups(grid(full_row + 1, 2)), (65_535, 2, 2));
        assert_eq!(
            groups(Launch::elementwise("test", 3 * full_row, 1)),
            (65_535, 3, 1)
        );
    }

    // Native only: five billion units do not fit a 32-bit `usize` (the
    // wasm build compiles these tests too, never runs them).
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn every_invocation_has_a_workgroup_and_no_row_is_idle() {
        let size = WORKGROUP_SIZE as usize;
        for units in (1..200_000)
            .step_by(997)
            .chain([5_000_000_000, 4_194_240 * 7 + 1])
        {
            let (x, y, z) = groups(grid(units, 5));
            assert_eq!(z, 5);
            assert!(x <= MAX_GROUPS_PER_AXIS && y <= MAX_GROUPS_PER_AXIS);
            assert!(x * y * size >= units, "{units} units in {x}×{y} groups");
            assert!(
                (x * (y - 1)) * size < units,
                "{units} units: row {y} of {x} groups idle"
            );
        }
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    #[should_panic(expected = "too large to dispatch")]
    fn a_dispatch_past_both_axes_is_refused() {
        grid(
            MAX_GROUPS_PER_AXIS * MAX_GROUPS_PER_AXIS * WORKGROUP_SIZE as usize + 1,
            1,
        );
    }
}
