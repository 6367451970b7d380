//! Average pooling over `kernel × kernel` windows with stride `kernel` and
//! no padding, forward and backward, one loop over the channel planes;
//! rows and columns past the last whole window are left out, as Burn's
//! pooling leaves them.

/// Below this many output values a pass stays on one thread.
#[cfg(feature = "threads")]
const PARALLEL_MIN: usize = 1 << 14;

/// Runs `f(input planes, output planes)` over matching runs of whole
/// planes, on the pool's threads where the build has them.
fn for_planes(
    input: &[f32],
    in_plane: usize,
    output: &mut [f32],
    out_plane: usize,
    f: impl Fn(&[f32], &mut [f32]) + Sync + Send,
) {
    assert_eq!(
        input.len() * out_plane,
        output.len() * in_plane,
        "as many planes in as out"
    );
    #[cfg(feature = "threads")]
    if output.len() >= PARALLEL_MIN && in_plane > 0 && out_plane > 0 {
        use rayon::prelude::*;
        let planes = output.len() / out_plane;
        let per_task = planes.div_ceil(rayon::current_num_threads() * 4).max(1);
        output
            .par_chunks_mut(per_task * out_plane)
            .zip(input.par_chunks(per_task * in_plane))
            .for_each(|(output, input)| f(input, output));
        return;
    }
    f(input, output);
}

/// `x` `[N, C, H, W]` pooled: `[N, C, H / kernel, W / kernel]`.
pub fn avg_pool2d(x: &[f32], [n, c, h, w]: [usize; 4], kernel: usize) -> Vec<f32> {
    let (oh, ow) = (h / kernel, w / kernel);
    let scale = 1.0 / (kernel * kernel) as f32;
    let mut out = vec![0.0f32; n * c * oh * ow];
    for_planes(x, h * w, &mut out, oh * ow, |x, out| {
        for (plane, out) in x.chunks_exact(h * w).zip(out.chunks_exact_mut(oh * ow)) {
            for (oy, out_row) in out.chunks_exact_mut(ow).enumerate() {
                for row in plane[oy * kernel * w..].chunks_exact(w).take(kernel) {
                    for (o, window) in out_row.iter_mut().zip(row.chunks_exact(kernel)) {
                        *o += window.iter().sum::<f32>();
                    }
                }
                out_row.iter_mut().for_each(|o| *o *= scale);
            }
        }
    });
    out
}

/// The input gradient `[N, C, height, width]` from the output's, `grad`
/// `[N, C, OH, OW]`: each window's share of its output's gradient.
pub fn avg_pool2d_backward(
    grad: &[f32],
    [n, c, oh, ow]: [usize; 4],
    kernel: usize,
    [height, width]: [usize; 2],
) -> Vec<f32> {
    let scale = 1.0 / (kernel * kernel) as f32;
    let mut dx = vec![0.0f32; n * c * height * width];
    for_planes(grad, oh * ow, &mut dx, height * width, |grad, dx| {
        for (grad, plane) in grad
            .chunks_exact(oh * ow)
            .zip(dx.chunks_exact_mut(height * width))
        {
            for (grad_row, rows) in grad.chunks_exact(ow).zip(plane.chunks_exact_mut(kernel * width)) {
                for row in rows.chunks_exact_mut(width) {
                    for (g, window) in grad_row.iter().zip(row.chunks_exact_mut(kernel)) {
                        window.fill(g * scale);
                    }
                }
            }
        }
    });
    dx
}
