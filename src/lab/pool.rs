//! Pooling (6.5, 汇聚层): the book's `pool2d`, and `nn.MaxPool2d`'s
//! padding and stride.

use super::{Matrix, output_shape};

/// Which summary a pooling window takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolMode {
    Max,
    Average,
}

/// The book's `pool2d(X, pool_size, mode)`: stride 1, no padding.
pub fn pool2d(x: &Matrix, window: [usize; 2], mode: PoolMode) -> Matrix {
    let [rows, cols] = output_shape(x.shape(), window, [0, 0], [1, 1]);
    Matrix::from_fn(rows, cols, |i, j| {
        let cells = (0..window[0]).flat_map(|a| (0..window[1]).map(move |b| x.get(i + a, j + b)));
        match mode {
            PoolMode::Max => cells.fold(f32::NEG_INFINITY, f32::max),
            PoolMode::Average => cells.sum::<f32>() / (window[0] * window[1]) as f32,
        }
    })
}

/// A max pooling layer's settings, as `nn.MaxPool2d` takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSettings {
    pub window: [usize; 2],
    pub padding: [usize; 2],
    pub stride: [usize; 2],
}

/// `nn.MaxPool2d(window, padding, stride)` on one channel: the frame of
/// padding is never the maximum (PyTorch pads with −∞).
pub fn max_pool2d(x: &Matrix, settings: PoolSettings) -> Matrix {
    let PoolSettings {
        window,
        padding,
        stride,
    } = settings;
    let [rows, cols] = output_shape(x.shape(), window, padding, stride);
    Matrix::from_fn(rows, cols, |i, j| {
        let cells = (0..window[0]).flat_map(|a| {
            (0..window[1]).filter_map(move |b| x.padded(i * stride[0] + a, j * stride[1] + b, padding))
        });
        cells.fold(f32::NEG_INFINITY, f32::max)
    })
}

/// 6.5.1: max and average pooling of the book's 3×3 input, 2×2 window.
#[derive(Clone, Debug, PartialEq)]
pub struct Pooling {
    pub x: Matrix,
    pub max: Matrix,
    pub average: Matrix,
}

pub fn pooling() -> Pooling {
    let x = Matrix::arange(3, 3, 0.0);
    let max = pool2d(&x, [2, 2], PoolMode::Max);
    let average = pool2d(&x, [2, 2], PoolMode::Average);
    Pooling { x, max, average }
}

/// One max pooling layer of 6.5.2 and what it outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolCase {
    /// The layer as the book writes it: `nn.MaxPool2d(3, padding=1, stride=2)`.
    pub code: &'static str,
    pub settings: PoolSettings,
    pub y: Matrix,
}

/// 6.5.2: max pooling of 0…15 (4×4) with the book's three settings.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolingPaddingStride {
    pub x: Matrix,
    /// In the book's order.
    pub cases: Vec<PoolCase>,
}

/// The book's window 3, padding 1, stride 2 (6.5.2's second case and
/// 6.5.3's).
const WINDOW_3_PADDING_1_STRIDE_2: PoolSettings = PoolSettings {
    window: [3, 3],
    padding: [1, 1],
    stride: [2, 2],
};

pub fn pooling_padding_stride() -> PoolingPaddingStride {
    let x = Matrix::arange(4, 4, 0.0);
    let settings = [
        // The stride is the window unless given.
        (
            "nn.MaxPool2d(3)",
            PoolSettings {
                window: [3, 3],
                padding: [0, 0],
                stride: [3, 3],
            },
        ),
        (
            "nn.MaxPool2d(3, padding=1, stride=2)",
            WINDOW_3_PADDING_1_STRIDE_2,
        ),
        (
            "nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))",
            PoolSettings {
                window: [2, 3],
                padding: [0, 1],
                stride: [2, 3],
            },
        ),
    ];
    let case = |(code, settings)| PoolCase {
        code,
        settings,
        y: max_pool2d(&x, settings),
    };
    let cases = settings.into_iter().map(case).collect();
    PoolingPaddingStride { x, cases }
}

/// 6.5.3: two channels (X and X + 1) pooled each on its own.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolingChannels {
    /// The layer as the book writes it.
    pub code: &'static str,
    pub settings: PoolSettings,
    pub x: Vec<Matrix>,
    pub y: Vec<Matrix>,
}

pub fn pooling_channels() -> PoolingChannels {
    let settings = WINDOW_3_PADDING_1_STRIDE_2;
    let x = vec![Matrix::arange(4, 4, 0.0), Matrix::arange(4, 4, 1.0)];
    let y = x.iter().map(|channel| max_pool2d(channel, settings)).collect();
    let code = "nn.MaxPool2d(3, padding=1, stride=2)";
    PoolingChannels { code, settings, x, y }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_and_average_pooling_print_the_books_values() {
        let case = pooling();
        assert_eq!(case.max.to_rows(), vec![vec![4.0, 5.0], vec![7.0, 8.0]]);
        assert_eq!(case.average.to_rows(), vec![vec![2.0, 3.0], vec![5.0, 6.0]]);
    }

    #[test]
    fn padding_and_stride_pool_as_the_book_prints() {
        let case = pooling_padding_stride();
        let outputs: Vec<Vec<Vec<f32>>> = case.cases.iter().map(|c| c.y.to_rows()).collect();
        let corners = vec![vec![5.0, 7.0], vec![13.0, 15.0]];
        assert_eq!(outputs, vec![vec![vec![10.0]], corners.clone(), corners]);
    }

    #[test]
    fn each_channel_is_pooled_on_its_own() {
        let case = pooling_channels();
        let outputs: Vec<Vec<Vec<f32>>> = case.y.iter().map(Matrix::to_rows).collect();
        assert_eq!(
            outputs,
            vec![
                vec![vec![5.0, 7.0], vec![13.0, 15.0]],
                vec![vec![6.0, 8.0], vec![14.0, 16.0]],
            ]
        );
    }

    #[test]
    fn padding_never_wins_a_max() {
        let negative = Matrix::from_rows(&[[-3.0, -2.0], [-1.0, -4.0]]);
        let settings = PoolSettings {
            window: [2, 2],
            padding: [1, 1],
            stride: [2, 2],
        };
        let pooled = max_pool2d(&negative, settings);
        assert_eq!(pooled.to_rows(), vec![vec![-3.0, -2.0], vec![-1.0, -4.0]]);
    }
}
