//! How a kernel's invocations are laid out in a dispatch ([`grid`]) and how
//! an invocation finds its place in it ([`invocation_index`]): shared by the
//! convolution, pooling and dense-layer kernels.

use cubecl::prelude::*;

/// Invocations per workgroup.
const WORKGROUP_SIZE: u32 = 64;

/// WebGPU's limit on workgroups along one axis of a dispatch.
const MAX_GROUPS_PER_AXIS: usize = 65_535;

/// The linear index of this invocation in a dispatch of [`grid`].
#[cube]
pub(super) fn invocation_index() -> usize {
    let group = CUBE_POS_Y as usize * CUBE_COUNT_X as usize + CUBE_POS_X as usize;
    group * CUBE_DIM_X as usize + UNIT_POS_X as usize
}

/// `units` invocations in workgroups of [`WORKGROUP_SIZE`], spread over x
/// and y to stay under the per-axis limit, times `blocks` along z.
pub(super) fn grid(units: usize, blocks: usize) -> (CubeCount, CubeDim) {
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

/// A dispatch of `units` invocations, for kernels with one invocation per element.
pub(super) fn elementwise_grid(units: usize) -> (CubeCount, CubeDim) {
    grid(units, 1)
}

