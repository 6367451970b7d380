//! A convolution's input, weight and bias gradients on the CPU.
//!
//! Both gradients are matrix products over each sample's windows unfolded
//! into columns (im2col), on `gemm`; the samples are laid side by side so
//! that one product covers several, and the batch is cut into [`PARTS`]
//! parts, each on a thread of rayon's pool where the build has threads.

use std::ops::Range;

/// The sizes of one convolution.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub batch: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    pub height: usize,
    pub width: usize,
    pub out_height: usize,
    pub out_width: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

impl Geometry {
    /// The geometry of `input` `[N, Cin, H, W]` convolved with `out_channels`
    /// square kernels of side `kernel`, at `stride`, with `padding` zeros
    /// on each side.
    pub fn new(input: [usize; 4], out_channels: usize, kernel: usize, stride: usize, padding: usize) -> Self {
        let [batch, in_channels, height, width] = input;
        let out = |size: usize| (size + 2 * padding - kernel) / stride + 1;
        Geometry {
            batch,
            in_channels,
            out_channels,
            height,
            width,
            out_height: out(height),
            out_width: out(width),
            kernel,
            stride,
            padding,
        }
    }

    /// Rows of a sample's unfolded windows: one per input channel and tap.
    pub fn taps(&self) -> usize {
        self.in_channels * self.kernel * self.kernel
    }

    pub fn out_pixels(&self) -> usize {
        self.out_height * self.out_width
    }

    pub fn in_sample(&self) -> usize {
        self.in_channels * self.height * self.width
    }

    pub fn out_sample(&self) -> usize {
        self.out_channels * self.out_pixels()
    }

    /// The output positions `o` along an axis whose input `o·stride + tap −
    /// padding` lies inside `0..size`.
    fn inside(&self, tap: usize, size: usize, out_size: usize) -> Range<usize> {
        let (s, p) = (self.stride, self.padding);
        // Past the last output when the padding is wider than the output
        // (a 7×7 kernel, padding 3, stride 2 on one pixel).
        let first = p.saturating_sub(tap).div_ceil(s).min(out_size);
        let end = if size + p > tap {
            ((size + p - tap - 1) / s + 1).min(out_size)
        } else {
            0
        };
        first..end.max(first)
    }

    /// Walks every (channel, tap) row of the unfolded windows, `row_stride`
    /// apart, and every output row, handing `f` where the output row starts
    /// in the windows, the input row's offset in the sample (`None` in the
    /// padding) and the output columns whose input is inside, with the
    /// first one's input column.
    fn for_each_window_row(
        &self,
        row_stride: usize,
        mut f: impl FnMut(usize, Option<usize>, Range<usize>, usize),
    ) {
        let (k, s, p) = (self.kernel, self.stride, self.padding);
        let (h, w, ow) = (self.height, self.width, self.out_width);
        for c in 0..self.in_channels {
            for ky in 0..k {
                let rows = self.inside(ky, h, self.out_height);
                for kx in 0..k {
                    let cols = self.inside(kx, w, ow);
                    let row = ((c * k + ky) * k + kx) * row_stride;
                    let first_x = (cols.start * s + kx).saturating_sub(p);
                    for oy in 0..self.out_height {
                        let start = row + oy * ow;
                        let input = rows.contains(&oy).then(|| (c * h + oy * s + ky - p) * w);
                        f(start, input, cols.clone(), first_x);
                    }
                }
            }
        }
    }

    /// One sample's windows as a `[taps, out pixels]` matrix whose rows are
    /// `row_stride` apart in `cols`, zero in the padding.
    fn unfold(&self, x: &[f32], cols: &mut [f32], row_stride: usize) {
        let (s, ow) = (self.stride, self.out_width);
        self.for_each_window_row(row_stride, |start, input, inside, first_x| {
            let out = &mut cols[start..start + ow];
            let Some(input) = input else {
                out.fill(0.0);
                return;
            };
            out[..inside.start].fill(0.0);
            out[inside.end..].fill(0.0);
            for (i, o) in out[inside.clone()].iter_mut().enumerate() {
                *o = x[input + first_x + i * s];
            }
        });
    }

    /// The transpose of [`Self::unfold`]: each window value added back to
    /// the input pixel it came from.
    fn fold_add(&self, cols: &[f32], row_stride: usize, dx: &mut [f32]) {
        let s = self.stride;
        self.for_each_window_row(row_stride, |start, input, inside, first_x| {
            if let Some(input) = input {
                for (i, v) in cols[start + inside.start..start + inside.end].iter().enumerate() {
                    dx[input + first_x + i * s] += v;
                }
            }
        });
    }
}

/// `dst` `[m, n]` (+)= `lhs` `[m, k]` · `rhs` `[k, n]`, each operand given
/// with its (row, column) strides; on the calling thread.
#[allow(clippy::too_many_arguments)]
fn matmul(
    [m, k, n]: [usize; 3],
    dst: &mut [f32],
    accumulate: bool,
    lhs: &[f32],
    (lhs_rs, lhs_cs): (usize, usize),
    rhs: &[f32],
    (rhs_rs, rhs_cs): (usize, usize),
) {
    let last = |rs: usize, cs: usize, rows: usize, cols: usize| (rows - 1) * rs + (cols - 1) * cs;
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    assert!(
        dst.len() >= m * n
            && lhs.len() > last(lhs_rs, lhs_cs, m, k)
            && rhs.len() > last(rhs_rs, rhs_cs, k, n)
    );
    // SAFETY: the assert above keeps every element gemm reads or writes in
    // its slice; `dst` is borrowed mutably, so nothing else aliases it.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// How many parts the batch is cut into, each part's weight gradient
/// summed on a thread of its own: a constant rather than the pool's size,
/// so that the sums, and training, are the same on one thread and many.
const PARTS: usize = 4;

/// About this many floats of unfolded windows (512 KiB) per product, so
/// that they stay in cache...
const UNFOLDED_FLOATS: usize = 1 << 17;

/// ...but at least this many output pixels side by side: with fewer (the
/// 3×3 maps of ResNet-18's last stage), the weight gradient's products
/// are of depth 9 and rewrite the whole gradient for each sample.
const MIN_PRODUCT_PIXELS: usize = 256;

/// The samples `0..batch` cut into [`PARTS`] ranges (fewer for a smaller
/// batch).
fn sample_ranges(batch: usize) -> Vec<Range<usize>> {
    let size = batch.div_ceil(PARTS).max(1);
    (0..batch)
        .step_by(size)
        .map(|s| s..(s + size).min(batch))
        .collect()
}

/// `f` over each range, on the pool where the build has one.
fn map_ranges<T: Send>(ranges: Vec<Range<usize>>, f: impl Fn(Range<usize>) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "threads")]
    {
        use rayon::prelude::*;
        ranges.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "threads"))]
    ranges.into_iter().map(f).collect()
}

/// Samples side by side, for one matrix product over all of them: their
/// unfolded windows `[taps, samples × out pixels]` and output gradients
/// `[Cout, samples × out pixels]`.
struct SideBySide {
    cols: Vec<f32>,
    grads: Vec<f32>,
}

impl SideBySide {
    /// How many samples one product covers: as many as keep the windows
    /// under [`UNFOLDED_FLOATS`], or as give [`MIN_PRODUCT_PIXELS`].
    fn samples(g: &Geometry) -> usize {
        let in_cache = UNFOLDED_FLOATS / (g.taps() * g.out_pixels()).max(1);
        let deep_enough = MIN_PRODUCT_PIXELS.div_ceil(g.out_pixels().max(1));
        in_cache.max(deep_enough).clamp(1, g.batch.max(1))
    }

    fn new(g: &Geometry) -> Self {
        Self::with_samples(g, Self::samples(g))
    }

    fn with_samples(g: &Geometry, samples: usize) -> Self {
        let width = samples * g.out_pixels();
        SideBySide {
            cols: vec![0.0; g.taps() * width],
            grads: vec![0.0; g.out_channels * width],
        }
    }

    /// Copies the output gradients of `samples` side by side.
    fn gather_grads(&mut self, g: &Geometry, grad: &[f32], samples: Range<usize>) {
        let pixels = g.out_pixels();
        let width = samples.len() * pixels;
        for (j, n) in samples.enumerate() {
            let sample = &grad[n * g.out_sample()..][..g.out_sample()];
            for (o, row) in sample.chunks_exact(pixels).enumerate() {
                self.grads[o * width + j * pixels..][..pixels].copy_from_slice(row);
            }
        }
    }
}

/// Weight gradient `[Cout, taps]` and bias gradient `[Cout]` of the
/// samples in `part`.
fn weight_bias_grad_of(g: &Geometry, x: &[f32], grad: &[f32], part: Range<usize>) -> (Vec<f32>, Vec<f32>) {
    let (taps, pixels) = (g.taps(), g.out_pixels());
    let mut side = SideBySide::new(g);
    let mut weight = vec![0.0; g.out_channels * taps];
    let mut bias = vec![0.0; g.out_channels];
    for (i, first) in part.clone().step_by(SideBySide::samples(g)).enumerate() {
        let samples = first..(first + SideBySide::samples(g)).min(part.end);
        let width = samples.len() * pixels;
        for (j, n) in samples.clone().enumerate() {
            g.unfold(
                &x[n * g.in_sample()..][..g.in_sample()],
                &mut side.cols[j * pixels..],
                width,
            );
        }
        side.gather_grads(g, grad, samples);
        // [Cout, width] · [width, taps]: the windows read transposed.
        matmul(
            [g.out_channels, width, taps],
            &mut weight,
            i > 0,
            &side.grads,
            (width, 1),
            &side.cols,
            (1, width),
        );
        for (b, row) in bias.iter_mut().zip(side.grads.chunks_exact(width)) {
            *b += row.iter().sum::<f32>();
        }
    }
    (weight, bias)
}

/// Adds the input gradient of the samples in `part` into `dx` (zeros),
/// which holds exactly those samples.
fn input_grad_of(g: &Geometry, weight: &[f32], grad: &[f32], part: Range<usize>, dx: &mut [f32]) {
    let (taps, pixels) = (g.taps(), g.out_pixels());
    let mut side = SideBySide::new(g);
    let per = SideBySide::samples(g);
    for (dx, first) in dx.chunks_mut(per * g.in_sample()).zip(part.clone().step_by(per)) {
        let samples = first..(first + per).min(part.end);
        let width = samples.len() * pixels;
        side.gather_grads(g, grad, samples);
        // [taps, Cout] · [Cout, width]: the weight read transposed.
        matmul(
            [taps, g.out_channels, width],
            &mut side.cols,
            false,
            weight,
            (1, taps),
            &side.grads,
            (width, 1),
        );
        for (j, dx) in dx.chunks_exact_mut(g.in_sample()).enumerate() {
            g.fold_add(&side.cols[j * pixels..], width, dx);
        }
    }
}

/// The weight gradient `[Cout, Cin·K·K]` and bias gradient `[Cout]` of a
/// convolution of `x` (`[N, Cin, H, W]`, contiguous) whose output gradient
/// is `grad` (`[N, Cout, OH, OW]`).
pub fn weight_bias_grad(g: &Geometry, x: &[f32], grad: &[f32]) -> (Vec<f32>, Vec<f32>) {
    assert_eq!(x.len(), g.batch * g.in_sample(), "the input's size");
    assert_eq!(grad.len(), g.batch * g.out_sample(), "the output gradient's size");
    let pixels = g.batch * g.out_pixels();
    if pixels < PARTS * MIN_PRODUCT_PIXELS && g.taps() * pixels <= WHOLE_BATCH_FLOATS {
        return weight_bias_grad_by_rows(g, x, grad);
    }
    let parts = map_ranges(sample_ranges(g.batch), |part| {
        weight_bias_grad_of(g, x, grad, part)
    });
    let mut parts = parts.into_iter();
    let (mut weight, mut bias) = parts
        .next()
        .unwrap_or_else(|| (vec![0.0; g.out_channels * g.taps()], vec![0.0; g.out_channels]));
    // Summed in the parts' order: the same on any number of threads.
    for (w, b) in parts {
        weight.iter_mut().zip(w).for_each(|(a, v)| *a += v);
        bias.iter_mut().zip(b).for_each(|(a, v)| *a += v);
    }
    (weight, bias)
}

/// The most floats of unfolded windows (16 MiB) [`weight_bias_grad_by_rows`]
/// lays side by side.
const WHOLE_BATCH_FLOATS: usize = 1 << 22;

/// [`weight_bias_grad`] for small maps (few pixels in the whole batch,
/// where cutting the batch into parts would leave shallow products): the
/// whole batch side by side in one product, its rows (output channels)
/// cut into [`PARTS`] on the pool. Each row is one thread's whole sum, so
/// the result does not depend on the number of threads either.
fn weight_bias_grad_by_rows(g: &Geometry, x: &[f32], grad: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let (taps, pixels) = (g.taps(), g.out_pixels());
    let width = g.batch * pixels;
    let mut side = SideBySide::with_samples(g, g.batch);
    for n in 0..g.batch {
        g.unfold(
            &x[n * g.in_sample()..][..g.in_sample()],
            &mut side.cols[n * pixels..],
            width,
        );
    }
    side.gather_grads(g, grad, 0..g.batch);
    let rows = g.out_channels.div_ceil(PARTS).max(1);
    let mut weight = vec![0.0f32; g.out_channels * taps];
    let product = |(part, weight): (usize, &mut [f32])| {
        let grads = &side.grads[part * rows * width..];
        // [rows, width] · [width, taps]: the windows read transposed.
        matmul(
            [weight.len() / taps, width, taps],
            weight,
            false,
            grads,
            (width, 1),
            &side.cols,
            (1, width),
        );
    };
    #[cfg(feature = "threads")]
    {
        use rayon::prelude::*;
        weight.par_chunks_mut(rows * taps).enumerate().for_each(product);
    }
    #[cfg(not(feature = "threads"))]
    weight.chunks_mut(rows * taps).enumerate().for_each(product);
    let bias = side
        .grads
        .chunks_exact(width)
        .map(|row| row.iter().sum())
        .collect();
    (weight, bias)
}

/// The input gradient `[N, Cin, H, W]` of a convolution by `weight`
/// (`[Cout, Cin, K, K]`) whose output gradient is `grad`.
pub fn input_grad(g: &Geometry, weight: &[f32], grad: &[f32]) -> Vec<f32> {
    assert_eq!(weight.len(), g.out_channels * g.taps(), "the weight's size");
    assert_eq!(grad.len(), g.batch * g.out_sample(), "the output gradient's size");
    let mut dx = vec![0.0f32; g.batch * g.in_sample()];
    let ranges = sample_ranges(g.batch);
    let part = (ranges.first().map_or(1, |r| r.len()) * g.in_sample()).max(1);
    #[cfg(feature = "threads")]
    {
        use rayon::prelude::*;
        dx.par_chunks_mut(part)
            .zip(ranges)
            .for_each(|(dx, samples)| input_grad_of(g, weight, grad, samples, dx));
    }
    #[cfg(not(feature = "threads"))]
    for (dx, samples) in dx.chunks_mut(part).zip(ranges) {
        input_grad_of(g, weight, grad, samples, dx);
    }
    dx
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unfolded windows, one value at a time from the definition.
    fn unfold_slowly(g: &Geometry, x: &[f32]) -> Vec<f32> {
        let mut cols = vec![];
        let (k, s, p) = (g.kernel as isize, g.stride as isize, g.padding as isize);
        for c in 0..g.in_channels {
            for ky in 0..k {
                for kx in 0..k {
                    for oy in 0..g.out_height as isize {
                        for ox in 0..g.out_width as isize {
                            let (y, xx) = (oy * s + ky - p, ox * s + kx - p);
                            let inside =
                                (0..g.height as isize).contains(&y) && (0..g.width as isize).contains(&xx);
                            cols.push(if inside {
                                x[(c * g.height + y as usize) * g.width + xx as usize]
                            } else {
                                0.0
                            });
                        }
                    }
                }
            }
        }
        cols
    }

    #[test]
    fn unfolding_matches_the_definition_for_every_stride_and_padding() {
        for (size, kernel, stride, padding) in [
            (6, 3, 1, 1),
            (7, 3, 2, 1),
            (11, 5, 2, 2),
            (5, 5, 1, 2),
            (9, 1, 2, 0),
            (8, 7, 2, 3),
            (3, 3, 1, 0),
            // Padding wider than the output: one or two pixels in.
            (1, 7, 2, 3),
            (1, 5, 1, 2),
            (2, 3, 2, 1),
        ] {
            let g = Geometry::new([1, 2, size, size + 1], 1, kernel, stride, padding);
            let x: Vec<f32> = (0..g.in_sample()).map(|i| i as f32 + 1.0).collect();
            let mut cols = vec![f32::NAN; g.taps() * g.out_pixels()];
            g.unfold(&x, &mut cols, g.out_pixels());
            assert_eq!(
                cols,
                unfold_slowly(&g, &x),
                "{size} px, k{kernel} s{stride} p{padding}"
            );
            // Folding back adds each pixel once per window that reads it.
            let mut back = vec![0.0; g.in_sample()];
            g.fold_add(&vec![1.0; cols.len()], g.out_pixels(), &mut back);
            let mut reads = vec![0.0; g.in_sample()];
            let ones: Vec<f32> = (0..g.in_sample()).map(|i| i as f32).collect();
            for v in unfold_slowly(&g, &ones.iter().map(|v| v + 1.0).collect::<Vec<_>>()) {
                if v > 0.0 {
                    reads[v as usize - 1] += 1.0;
                }
            }
            assert_eq!(back, reads, "{size} px, k{kernel} s{stride} p{padding}");
        }
    }

    #[test]
    fn sample_ranges_cover_the_batch_once() {
        for batch in [1, 2, 3, 7, 256] {
            let ranges = sample_ranges(batch);
            let all: Vec<usize> = ranges.into_iter().flatten().collect();
            assert_eq!(all, (0..batch).collect::<Vec<_>>());
        }
    }
}
