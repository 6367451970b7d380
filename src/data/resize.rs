//! The bilinear resize of torchvision's `Resize` on PIL images, which the
//! book applies before `ToTensor`: PIL's triangle filter with half-pixel
//! centres, a horizontal then a vertical pass, each rounded to 8 bits; a
//! pass whose side does not change is skipped, as PIL skips it.

use std::borrow::Cow;

use super::ImageFormat;

/// Fixed-point precision of PIL's resampling (`PRECISION_BITS` in
/// `Resample.c`): 32 bits, less 8 for the pixel and 2 for the sign and
/// headroom.
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// Square images of side `side`, from images of any size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resize {
    side: usize,
}

/// One axis of a resize: per output pixel, the first input pixel and the
/// fixed-point weights of those it reads.
#[derive(Clone, Debug)]
pub(crate) struct Taps(Vec<(usize, Vec<i64>)>);

impl Taps {
    /// From `from` pixels to `to`.
    pub(crate) fn new(from: usize, to: usize) -> Taps {
        let scale = from as f64 / to as f64;
        let filter_scale = scale.max(1.0);
        let support = filter_scale; // the triangle filter's support is 1
        let taps = (0..to)
            .map(|out| {
                let center = (out as f64 + 0.5) * scale;
                // PIL truncates towards zero here, as C's cast does.
                let start = ((center - support + 0.5) as i64).max(0) as usize;
                let end = ((center + support + 0.5) as i64).min(from as i64) as usize;
                let weights: Vec<f64> = (start..end)
                    .map(|x| (1.0 - ((x as f64 - center + 0.5) / filter_scale).abs()).max(0.0))
                    .collect();
                let total: f64 = weights.iter().sum();
                let fixed = weights
                    .iter()
                    .map(|w| (w / total * (1i64 << PRECISION_BITS) as f64).round() as i64)
                    .collect();
                (start, fixed)
            })
            .collect();
        Taps(taps)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn sample(&self, out: usize, read: impl Fn(usize) -> u8) -> u8 {
        let (start, weights) = &self.0[out];
        let sum = weights
            .iter()
            .enumerate()
            .fold(1i64 << (PRECISION_BITS - 1), |sum, (i, w)| {
                sum + w * read(start + i) as i64
            });
        (sum >> PRECISION_BITS).clamp(0, 255) as u8
    }
}

/// Resizes one `height`×`width` plane to `rows`×`cols` (`None`: that axis
/// keeps its size), handing each output level to `emit` in row-major
/// order: the caller keeps it as it needs (scaled floats for a batch, bytes
/// for a data set), with no buffer of the output in between.
pub(crate) fn plane(
    plane: &[u8],
    (height, width): (usize, usize),
    rows: Option<&Taps>,
    cols: Option<&Taps>,
    mut emit: impl FnMut(u8),
) {
    let wide: Cow<[u8]> = match cols {
        None => Cow::Borrowed(plane),
        Some(cols) => {
            let out_width = cols.len();
            let mut out = vec![0u8; height * out_width];
            for y in 0..height {
                for x in 0..out_width {
                    out[y * out_width + x] = cols.sample(x, |i| plane[y * width + i]);
                }
            }
            Cow::Owned(out)
        }
    };
    let out_width = cols.map_or(width, Taps::len);
    match rows {
        None => wide.iter().for_each(|&level| emit(level)),
        Some(rows) => {
            for y in 0..rows.len() {
                for x in 0..out_width {
                    emit(rows.sample(y, |i| wide[i * out_width + x]));
                }
            }
        }
    }
}

impl Resize {
    pub fn to(side: usize) -> Resize {
        Resize { side }
    }

    pub fn side(&self) -> usize {
        self.side
    }

    /// The passes that take images of `format` to this side.
    pub(crate) fn taps(&self, format: ImageFormat) -> (Option<Taps>, Option<Taps>) {
        let axis = |from: usize| (from != self.side).then(|| Taps::new(from, self.side));
        (axis(format.height), axis(format.width))
    }

    /// Appends `image` (planes of `format`), resized with `taps` and scaled
    /// to [0, 1], to `out`.
    pub(crate) fn apply(
        format: ImageFormat,
        (rows, cols): &(Option<Taps>, Option<Taps>),
        image: &[u8],
        out: &mut Vec<f32>,
    ) {
        if rows.is_none() && cols.is_none() {
            out.extend(image.iter().map(|&p| p as f32 / 255.0));
            return;
        }
        let size = (format.height, format.width);
        for channel in image.chunks(format.height * format.width) {
            plane(channel, size, rows.as_ref(), cols.as_ref(), |level| {
                out.push(level as f32 / 255.0)
            });
        }
    }
}
