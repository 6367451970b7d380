//! The host arithmetic of a batch norm: how its values are read as vectors,
//! how the statistics pass cuts each channel into chunks, and how many
//! workgroups the elementwise passes take. Pure arithmetic, unit tested
//! here; `launch.rs` hands it to the kernels in `kernels.rs`.

/// Invocations per workgroup: every workgroup of our batch-norm kernels
/// works on one channel, so what depends on the channel alone (its partial
/// sums, γ, β, the running statistics) is one uniform load per workgroup.
pub const LANES: usize = crate::kernels::dispatch::WORKGROUP_SIZE as usize;

/// About how many invocations the statistics pass should run: enough to
/// fill a GPU. A narrow layer's channels are cut into more chunks to get
/// there (at most [`MAX_CHUNKS`]).
const REDUCE_LANES: usize = 16_384;

/// The most chunks a channel is summed in: every invocation of the
/// elementwise pass that follows reads all of its channel's partial sums
/// (two uniform loads per chunk) before its own values.
pub const MAX_CHUNKS: usize = 16;

/// The fewest vectors one invocation of the statistics pass sums: below
/// that a workgroup's tree reduction costs more than its loads.
const MIN_VECTORS_PER_LANE: usize = 4;

/// Vectors one invocation of an elementwise pass reads and writes, so that
/// its uniform loads (partial sums, γ, β) are shared by a few values.
const APPLY_VECTORS_PER_LANE: usize = 4;

/// WebGPU's limit on workgroups along one axis of a dispatch.
const MAX_GROUPS_PER_AXIS: usize = 65_535;

/// The sizes of one batch norm over `[N, C, ...]` (a `BatchNorm2d` on
/// `[N, C, H, W]`, a `BatchNorm1d` on `[N, C]`): statistics per channel
/// over the batch and every position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchNormGeometry {
    pub batch: usize,
    pub channels: usize,
    /// Values of one channel of one example (`H·W`, 1 after a linear layer).
    pub plane: usize,
    /// Floats read as one vector: the widest of 4, 2, 1 that divides the
    /// plane, so that no vector straddles two channels.
    pub vector: usize,
    /// Elementwise passes spread for a real GPU (see
    /// [`GPU_INVOCATIONS`](crate::kernels::GPU_INVOCATIONS)).
    pub spread: bool,
}

impl BatchNormGeometry {
    /// The geometry of a batch norm over `shape` (`[N, C, ...]`).
    pub fn new(shape: &[usize]) -> Self {
        assert!(shape.len() >= 2, "batch norm needs [N, C, ...], got {shape:?}");
        let plane = shape[2..].iter().product::<usize>();
        let vector = [4, 2, 1]
            .into_iter()
            .find(|w| plane.is_multiple_of(*w))
            .unwrap_or(1);
        BatchNormGeometry {
            batch: shape[0],
            channels: shape[1],
            plane,
            vector,
            spread: false,
        }
    }

    /// The same batch norm with its elementwise passes spread for a real
    /// GPU, where `gpu`: fewer vectors per invocation until a pass exposes
    /// [`GPU_INVOCATIONS`](crate::kernels::GPU_INVOCATIONS) invocations.
    pub fn spread(self, gpu: bool) -> Self {
        BatchNormGeometry { spread: gpu, ..self }
    }

    /// The values each channel's statistics are taken over: `M = N·H·W`.
    pub fn per_channel(&self) -> usize {
        self.batch * self.plane
    }

    /// Vectors in one plane.
    pub fn vectors_per_plane(&self) -> usize {
        self.plane / self.vector
    }

    /// Vectors in one channel, over the whole batch.
    pub fn vectors_per_channel(&self) -> usize {
        self.batch * self.vectors_per_plane()
    }

    /// How the statistics pass cuts a channel: `(chunks, vectors per
    /// chunk)`, one workgroup per chunk and channel; no chunk is empty.
    pub fn chunks(&self) -> (usize, usize) {
        let vectors = self.vectors_per_channel().max(1);
        let wanted = REDUCE_LANES.div_ceil(LANES * self.channels.max(1));
        let most = (vectors / (LANES * MIN_VECTORS_PER_LANE)).clamp(1, MAX_CHUNKS);
        let per_chunk = vectors.div_ceil(wanted.clamp(1, most));
        (vectors.div_ceil(per_chunk), per_chunk)
    }

    /// How the elementwise passes (normalising, the input gradient) cut a
    /// channel: `(workgroups per channel, vectors per invocation)`.
    pub fn apply_groups(&self) -> (usize, usize) {
        let vectors = self.vectors_per_channel().max(1);
        let mut per_lane = APPLY_VECTORS_PER_LANE.max(vectors.div_ceil(LANES * MAX_GROUPS_PER_AXIS));
        let groups = |per_lane: usize| vectors.div_ceil(LANES * per_lane);
        let gpu_invocations = crate::kernels::GPU_INVOCATIONS;
        while self.spread && per_lane > 1 && groups(per_lane) * self.channels * LANES < gpu_invocations {
            per_lane /= 2;
        }
        (groups(per_lane), per_lane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_are_read_in_the_widest_vectors_that_divide_them() {
        // ResNet's b1 at 96 px: 48 × 48.
        let g = BatchNormGeometry::new(&[256, 64, 48, 48]);
        assert_eq!((g.plane, g.vector, g.vectors_per_plane()), (2304, 4, 576));
        assert_eq!(BatchNormGeometry::new(&[16, 512, 3, 3]).vector, 1);
        assert_eq!(BatchNormGeometry::new(&[16, 512, 5, 2]).vector, 2);
        // A BatchNorm1d after a linear layer: one value per plane.
        let flat = BatchNormGeometry::new(&[256, 120]);
        assert_eq!((flat.plane, flat.vector, flat.per_channel()), (1, 1, 256));
    }

    #[test]
    fn chunks_of_the_book_shapes() {
        // 64 wide channels want 4 chunks for 16 384 invocations.
        let b1 = BatchNormGeometry::new(&[256, 64, 48, 48]);
        assert_eq!(b1.chunks(), (4, 36_864));
        // BN-LeNet's first: 6 channels want 43 chunks; 16 at most.
        let lenet = BatchNormGeometry::new(&[256, 6, 28, 28]);
        assert_eq!(lenet.chunks(), (16, 3136));
        // 256 values a channel are one chunk (a lane sums 4 of them).
        assert_eq!(BatchNormGeometry::new(&[256, 120]).chunks(), (1, 256));
        assert_eq!(BatchNormGeometry::new(&[1, 3, 1, 1]).chunks(), (1, 1));
    }

    #[test]
    fn apply_groups_of_the_book_shapes() {
        let b1 = BatchNormGeometry::new(&[256, 64, 48, 48]);
        assert_eq!(b1.apply_groups(), (576, 4));
        assert_eq!(BatchNormGeometry::new(&[256, 84]).apply_groups(), (1, 4));
        // Past 65 535 workgroups a lane takes more vectors.
        let huge = BatchNormGeometry::new(&[4096, 1, 512, 512]);
        let (groups, per_lane) = huge.apply_groups();
        assert!(groups <= MAX_GROUPS_PER_AXIS && per_lane > 4);
    }

    #[test]
    fn spread_apply_groups_reach_enough_invocations() {
        // BN-LeNet's BatchNorm1d over 120 and 84 features at batch 256:
        // 7 680 and 5 376 invocations of 4 values; spread, 15 360 and
        // 10 752 of 2.
        for channels in [120, 84] {
            let g = BatchNormGeometry::new(&[256, channels]);
            assert_eq!(g.apply_groups(), (1, 4));
            assert_eq!(g.spread(true).apply_groups(), (2, 2));
        }
        // Three features: one value each, 768 invocations at most.
        assert_eq!(
            BatchNormGeometry::new(&[256, 3]).spread(true).apply_groups(),
            (4, 1)
        );
        // Already enough: unchanged.
        let b1 = BatchNormGeometry::new(&[256, 64, 48, 48]);
        assert_eq!(b1.spread(true).apply_groups(), b1.apply_groups());
    }

    #[test]
    fn chunks_and_groups_cover_every_vector_once() {
        for batch in [1, 2, 3, 16, 255, 256] {
            for channels in [1, 3, 6, 64, 512] {
                for spatial in [&[][..], &[1, 1], &[3, 3], &[5, 7], &[28, 28], &[48, 48]] {
                    let shape: Vec<usize> = [batch, channels].iter().chain(spatial).copied().collect();
                    let g = BatchNormGeometry::new(&shape);
                    let vectors = g.vectors_per_channel();
                    assert_eq!(vectors * g.vector, g.per_channel(), "{shape:?}");
                    let (chunks, per_chunk) = g.chunks();
                    assert!((1..=MAX_CHUNKS).contains(&chunks), "{shape:?}");
                    assert!(chunks * per_chunk >= vectors, "{shape:?}");
                    assert!((chunks - 1) * per_chunk < vectors, "{shape:?}: an empty chunk");
                    let (groups, per_lane) = g.apply_groups();
                    assert!(groups * LANES * per_lane >= vectors, "{shape:?}");
                    assert!(
                        (groups - 1) * LANES * per_lane < vectors,
                        "{shape:?}: an idle group"
                    );
                    let (groups, per_lane) = g.spread(true).apply_groups();
                    assert!(groups * LANES * per_lane >= vectors, "{shape:?} spread");
                    assert!(
                        (groups - 1) * LANES * per_lane < vectors,
                        "{shape:?} spread: an idle group"
                    );
                }
            }
        }
    }
}
