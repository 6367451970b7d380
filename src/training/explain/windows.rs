//! Sliding windows: a convolution's window, kernel, products and sum, a
//! pooling window and its maximum or mean, and the output-size formula
//! with the row's numbers. Plain arithmetic on values read back (sums in
//! f64, as exact as the host can make them).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Of a convolution's input channels, this many are shown in full
/// (window, kernel, products); every channel's sum is shown.
pub const DETAIL_CHANNELS: usize = 8;

/// One side of a sliding window's output, with the row's numbers:
/// ⌊(n + 2p − k) / s⌋ + 1 = out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputSide {
    pub n: usize,
    pub padding: usize,
    pub kernel: usize,
    pub stride: usize,
    /// The side the forward pass made.
    pub out: usize,
}

impl OutputSide {
    /// What the formula gives (`out`, for every row of our nets).
    pub fn formula(&self) -> usize {
        (self.n + 2 * self.padding).saturating_sub(self.kernel) / self.stride.max(1) + 1
    }
}

/// One input channel under the kernel: the window (row-major, 0 where it
/// hangs over the input's border into the padding), the kernel, their
/// products and the products' sum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelWindow {
    pub channel: usize,
    pub window: Vec<f32>,
    /// Which of the window's cells are padding zeros, not input.
    pub padding: Vec<bool>,
    pub kernel: Vec<f32>,
    pub products: Vec<f32>,
    pub sum: f32,
}

/// A convolution's value: Σ over the input channels of window × kernel,
/// plus the bias (the book's `corr2d_multi_in` and its scalar bias).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConvSum {
    pub out_channel: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    pub height: OutputSide,
    pub width: OutputSide,
    /// The window's top-left cell in the input (negative: in the padding).
    pub top: i64,
    pub left: i64,
    /// How many of the window's k×k cells are padding.
    pub padding_cells: usize,
    /// Each input channel's Σ window × kernel, every channel.
    pub channel_sums: Vec<f32>,
    /// The first `DETAIL_CHANNELS` channels in full.
    pub detail: Vec<ChannelWindow>,
    /// Σ of `channel_sums`.
    pub sum: f32,
    pub bias: f32,
    /// `sum` + `bias`.
    pub total: f32,
}

impl ConvSum {
    /// A 1×1 convolution: a dense layer across the channels, at each pixel.
    pub fn is_one_by_one(&self) -> bool {
        self.kernel == 1
    }
}

/// Which pooling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    Max,
    Avg,
    /// `AdaptiveAvgPool2d((1, 1))`: the window is the whole map.
    GlobalAvg,
}

/// A pooling layer's value: the window of one channel, and its maximum
/// (which cell won) or its mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolWindow {
    pub kind: PoolKind,
    pub channel: usize,
    /// Rows × columns.
    pub kernel: [usize; 2],
    pub stride: usize,
    pub padding: usize,
    pub height: OutputSide,
    pub width: OutputSide,
    pub top: i64,
    pub left: i64,
    /// Row-major, 0 at a padding cell (which never wins a maximum).
    pub window: Vec<f32>,
    pub padding_cells: Vec<bool>,
    /// Max: the cell that won (the first, on a tie).
    pub winner: Option<usize>,
    /// Avg: the window's sum and the count it is divided by.
    pub sum: f32,
    pub count: usize,
    pub result: f32,
}

/// Where a window sits over an input map: its top-left cell (negative in
/// the padding), its size, and the map's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    pub top: i64,
    pub left: i64,
    pub kernel: [usize; 2],
    pub height: usize,
    pub width: usize,
}

impl Placement {
    /// The window that makes output cell (`y`, `x`).
    pub fn new(
        y: usize,
        x: usize,
        stride: usize,
        padding: usize,
        kernel: [usize; 2],
        input: [usize; 2],
    ) -> Self {
        Placement {
            top: (y * stride) as i64 - padding as i64,
            left: (x * stride) as i64 - padding as i64,
            kernel,
            height: input[0],
            width: input[1],
        }
    }

    /// The input rows the window covers (clipped to the map).
    pub fn rows(&self) -> Range<usize> {
        clip(self.top, self.kernel[0], self.height)
    }

    pub fn cols(&self) -> Range<usize> {
        clip(self.left, self.kernel[1], self.width)
    }

    /// Each channel's window from `region`: the covered rows × columns of
    /// `channels` channels, channel after channel (as read back). Padding
    /// cells are 0 and marked.
    pub fn windows(&self, region: &[f32], channels: usize) -> Vec<(Vec<f32>, Vec<bool>)> {
        let (rows, cols) = (self.rows(), self.cols());
        let per_channel = rows.len() * cols.len();
        (0..channels)
            .map(|c| {
                let cells = (0..self.kernel[0]).flat_map(|i| (0..self.kernel[1]).map(move |j| (i, j)));
                cells
                    .map(|(i, j)| {
                        let (y, x) = (self.top + i as i64, self.left + j as i64);
                        let inside =
                            y >= 0 && x >= 0 && rows.contains(&(y as usize)) && cols.contains(&(x as usize));
                        match inside {
                            true => {
                                let (y, x) = (y as usize - rows.start, x as usize - cols.start);
                                (region[c * per_channel + y * cols.len() + x], false)
                            }
                            false => (0.0, true),
                        }
                    })
                    .unzip()
            })
            .collect()
    }
}

/// `start..start + len` clipped to `0..side`.
fn clip(start: i64, len: usize, side: usize) -> Range<usize> {
    let from = start.clamp(0, side as i64) as usize;
    let to = (start + len as i64).clamp(0, side as i64) as usize;
    from..to.max(from)
}

/// What makes a convolution's frame: which output channel, the settings
/// and the window's place.
pub(crate) struct ConvFrame {
    pub out_channel: usize,
    pub out_channels: usize,
    pub stride: usize,
    pub padding: usize,
    pub place: Placement,
    /// The output's height and width.
    pub out: [usize; 2],
}

impl ConvSum {
    /// Each channel's window (`Placement::windows`) times its kernel
    /// (`kernels`: `[C, k, k]` row-major), summed, plus `bias`.
    pub(crate) fn compute(
        frame: ConvFrame,
        windows: &[(Vec<f32>, Vec<bool>)],
        kernels: &[f32],
        bias: f32,
    ) -> ConvSum {
        let ConvFrame {
            out_channel,
            out_channels,
            stride,
            padding,
            place,
            out,
        } = frame;
        let k = place.kernel[0];
        let cells = k * place.kernel[1];
        let mut channel_sums = Vec::with_capacity(windows.len());
        let mut detail = vec![];
        let mut sum = 0.0f64;
        for (c, (window, pads)) in windows.iter().enumerate() {
            let kernel = &kernels[c * cells..(c + 1) * cells];
            let products: Vec<f64> = window
                .iter()
                .zip(kernel)
                .map(|(&v, &w)| v as f64 * w as f64)
                .collect();
            let channel_sum: f64 = products.iter().sum();
            sum += channel_sum;
            channel_sums.push(channel_sum as f32);
            if c < DETAIL_CHANNELS {
                detail.push(ChannelWindow {
                    channel: c,
                    window: window.clone(),
                    padding: pads.clone(),
                    kernel: kernel.to_vec(),
                    products: products.iter().map(|&p| p as f32).collect(),
                    sum: channel_sum as f32,
                });
            }
        }
        let side = |n, kernel, out| OutputSide {
            n,
            padding,
            kernel,
            stride,
            out,
        };
        ConvSum {
            out_channel,
            in_channels: windows.len(),
            out_channels,
            kernel: k,
            stride,
            padding,
            height: side(place.height, k, out[0]),
            width: side(place.width, place.kernel[1], out[1]),
            top: place.top,
            left: place.left,
            padding_cells: windows
                .first()
                .map_or(0, |(_, pads)| pads.iter().filter(|&&p| p).count()),
            channel_sums,
            detail,
            sum: sum as f32,
            bias,
            total: (sum + bias as f64) as f32,
        }
    }
}

/// What makes a pooling window's frame.
pub(crate) struct PoolFrame {
    pub kind: PoolKind,
    pub channel: usize,
    pub stride: usize,
    pub padding: usize,
    pub place: Placement,
    pub out: [usize; 2],
}

impl PoolWindow {
    /// The maximum of `window` (padding cells never win) or its mean over
    /// all its cells (padding counting as zeros, as PyTorch's
    /// `count_include_pad`; our average pools have no padding).
    pub(crate) fn compute(frame: PoolFrame, window: Vec<f32>, padding_cells: Vec<bool>) -> PoolWindow {
        let PoolFrame {
            kind,
            channel,
            stride,
            padding,
            place,
            out,
        } = frame;
        let winner = match kind {
            PoolKind::Max => window
                .iter()
                .zip(&padding_cells)
                .enumerate()
                .filter(|(_, (_, pad))| !**pad)
                .fold(None, |best: Option<(usize, f32)>, (i, (&v, _))| match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((i, v)),
                })
                .map(|(i, _)| i),
            PoolKind::Avg | PoolKind::GlobalAvg => None,
        };
        let sum: f64 = window.iter().map(|&v| v as f64).sum();
        let count = window.len();
        let result = match winner {
            Some(i) => window[i],
            None => (sum / count.max(1) as f64) as f32,
        };
        let side = |n, kernel, out| OutputSide {
            n,
            padding,
            kernel,
            stride,
            out,
        };
        PoolWindow {
            kind,
            channel,
            kernel: place.kernel,
            stride,
            padding,
            height: side(place.height, place.kernel[0], out[0]),
            width: side(place.width, place.kernel[1], out[1]),
            top: place.top,
            left: place.left,
            window,
            padding_cells,
            winner,
            sum: sum as f32,
            count,
            result,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The book's `X` (0 to 8 in a 3×3) and `K` ([[0, 1], [2, 3]]).
    fn book() -> (Vec<f32>, Vec<f32>) {
        ((0..9).map(|v| v as f32).collect(), vec![0.0, 1.0, 2.0, 3.0])
    }

    fn conv_at(y: usize, x: usize, padding: usize) -> ConvSum {
        let (input, kernel) = book();
        let place = Placement::new(y, x, 1, padding, [2, 2], [3, 3]);
        // What a read of the covered region gives.
        let (rows, cols) = (place.rows(), place.cols());
        let region: Vec<f32> = rows
            .flat_map(|r| cols.clone().map(|c| input[r * 3 + c]).collect::<Vec<_>>())
            .collect();
        let frame = ConvFrame {
            out_channel: 0,
            out_channels: 1,
            stride: 1,
            padding,
            place,
            out: [2 + 2 * padding; 2],
        };
        ConvSum::compute(frame, &place.windows(&region, 1), &kernel, 0.5)
    }

    #[test]
    fn the_books_cross_correlation_sums_window_times_kernel() {
        // 0×0 + 1×1 + 3×2 + 4×3 = 19, and so on: the book's figure.
        let sums: Vec<f32> = [(0, 0), (0, 1), (1, 0), (1, 1)]
            .iter()
            .map(|&(y, x)| conv_at(y, x, 0).sum)
            .collect();
        assert_eq!(sums, [19.0, 25.0, 37.0, 43.0]);
        let conv = conv_at(1, 1, 0);
        assert_eq!(conv.detail[0].window, [4.0, 5.0, 7.0, 8.0]);
        assert_eq!(conv.detail[0].products, [0.0, 5.0, 14.0, 24.0]);
        assert_eq!(conv.total, 43.5, "plus the bias");
        assert_eq!(conv.padding_cells, 0);
        assert_eq!(conv.height.formula(), 2);
    }

    #[test]
    fn padding_cells_are_zeros_and_marked() {
        // Padded by 1, output (0, 1) reads input rows -1..1, columns 0..2.
        let conv = conv_at(0, 1, 1);
        assert_eq!((conv.top, conv.left), (-1, 0));
        assert_eq!(conv.detail[0].padding, [true, true, false, false]);
        assert_eq!(conv.detail[0].window, [0.0, 0.0, 0.0, 1.0]);
        assert_eq!(conv.sum, 3.0);
        assert_eq!(conv.padding_cells, 2);
        // ⌊(3 + 2×1 − 2)/1⌋ + 1 = 4.
        assert_eq!(conv.width.formula(), 4);
        // The far corner: only the input's last cell is inside.
        let conv = conv_at(3, 3, 1);
        assert_eq!(conv.detail[0].padding, [false, true, true, true]);
        assert_eq!(conv.sum, 0.0, "8 × K[0][0] = 0");
    }

    #[test]
    fn the_output_size_formula_with_the_rows_numbers() {
        // AlexNet's first convolution: ⌊(224 + 2 − 11)/4⌋ + 1 = 54.
        let side = OutputSide {
            n: 224,
            padding: 1,
            kernel: 11,
            stride: 4,
            out: 54,
        };
        assert_eq!(side.formula(), 54);
    }

    fn pool(kind: PoolKind, y: usize, x: usize, padding: usize) -> PoolWindow {
        let (input, _) = book();
        let place = Placement::new(y, x, 1, padding, [2, 2], [3, 3]);
        let (rows, cols) = (place.rows(), place.cols());
        let region: Vec<f32> = rows
            .flat_map(|r| cols.clone().map(|c| input[r * 3 + c]).collect::<Vec<_>>())
            .collect();
        let (window, pads) = place.windows(&region, 1).remove(0);
        let frame = PoolFrame {
            kind,
            channel: 0,
            stride: 1,
            padding,
            place,
            out: [2, 2],
        };
        PoolWindow::compute(frame, window, pads)
    }

    #[test]
    fn pooling_takes_the_windows_max_or_mean_as_the_book_does() {
        // pool2d(X, (2, 2)): [[4, 5], [7, 8]]; 'avg': [[2, 3], [5, 6]].
        let at = [(0, 0), (0, 1), (1, 0), (1, 1)];
        let max: Vec<f32> = at
            .iter()
            .map(|&(y, x)| pool(PoolKind::Max, y, x, 0).result)
            .collect();
        assert_eq!(max, [4.0, 5.0, 7.0, 8.0]);
        let avg: Vec<f32> = at
            .iter()
            .map(|&(y, x)| pool(PoolKind::Avg, y, x, 0).result)
            .collect();
        assert_eq!(avg, [2.0, 3.0, 5.0, 6.0]);
        assert_eq!(pool(PoolKind::Max, 1, 1, 0).winner, Some(3));
        // A padding cell never wins, even over negative values... here over 0.
        let padded = pool(PoolKind::Max, 0, 0, 1);
        assert_eq!(padded.padding_cells, [true, true, true, false]);
        assert_eq!((padded.winner, padded.result), (Some(3), 0.0));
    }
}
