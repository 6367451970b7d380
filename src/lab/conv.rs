//! Cross-correlation (6.2), padding and stride (6.3): the book's `corr2d`
//! and its first cases.

use super::Matrix;

/// The book's `corr2d(X, K)`: no padding, stride 1.
pub fn corr2d(x: &Matrix, k: &Matrix) -> Matrix {
    corr2d_padded(x, k, [0, 0], [1, 1])
}

/// A cross-correlation with zero `padding` rows and columns on each side
/// and a `stride` (per axis): what `nn.Conv2d` computes for one channel.
pub fn corr2d_padded(x: &Matrix, k: &Matrix, padding: [usize; 2], stride: [usize; 2]) -> Matrix {
    let [rows, cols] = output_shape(x.shape(), k.shape(), padding, stride);
    Matrix::from_fn(rows, cols, |i, j| {
        let mut sum = 0.0;
        for a in 0..k.rows() {
            for b in 0..k.cols() {
                // The frame is zeros: it adds nothing.
                let cell = x.padded(i * stride[0] + a, j * stride[1] + b, padding);
                sum += cell.unwrap_or(0.0) * k.get(a, b);
            }
        }
        sum
    })
}

/// The output size along one axis: ⌊(n + 2p − k)/s⌋ + 1 (6.3).
pub fn output_size(n: usize, k: usize, p: usize, s: usize) -> usize {
    assert!(n + 2 * p >= k && s > 0, "a window of {k} fits {n} padded by {p}");
    (n + 2 * p - k) / s + 1
}

/// [`output_size`] along both axes.
pub fn output_shape(
    input: [usize; 2],
    window: [usize; 2],
    padding: [usize; 2],
    stride: [usize; 2],
) -> [usize; 2] {
    [0, 1].map(|a| output_size(input[a], window[a], padding[a], stride[a]))
}

/// 6.2.1: `corr2d` on the book's 3×3 input and 2×2 kernel.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossCorrelation {
    pub x: Matrix,
    pub k: Matrix,
    pub y: Matrix,
}

pub fn cross_correlation() -> CrossCorrelation {
    let x = Matrix::arange(3, 3, 0.0);
    let k = Matrix::from_rows(&[[0.0, 1.0], [2.0, 3.0]]);
    let y = corr2d(&x, &k);
    CrossCorrelation { x, k, y }
}

/// 6.2.3: a 6×8 image, white (1) with a black (0) band in columns 2 to
/// 5, and the kernel `[[1, -1]]` that finds its vertical edges.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeDetection {
    pub x: Matrix,
    pub k: Matrix,
    /// `corr2d(X, K)`: 1 at a white→black edge, −1 at black→white.
    pub y: Matrix,
    /// `corr2d(X.T, K)`: the transposed image's edges are horizontal,
    /// and this kernel sees none.
    pub y_transposed: Matrix,
}

/// The book's 6×8 image with its black band (also the input the kernel
/// is learnt from).
pub fn edge_image() -> Matrix {
    Matrix::from_fn(6, 8, |_, col| if (2..6).contains(&col) { 0.0 } else { 1.0 })
}

pub fn edge_kernel() -> Matrix {
    Matrix::from_rows(&[[1.0, -1.0]])
}

pub fn edge_detection() -> EdgeDetection {
    let (x, k) = (edge_image(), edge_kernel());
    let y = corr2d(&x, &k);
    let y_transposed = corr2d(&x.transpose(), &k);
    EdgeDetection {
        x,
        k,
        y,
        y_transposed,
    }
}

/// One of 6.3's `comp_conv2d` cases: a convolution's settings on an 8×8
/// input, and the output shape it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeCase {
    /// The layer as the book writes it: `nn.Conv2d(1, 1, kernel_size=3, padding=1)`.
    pub code: &'static str,
    pub input: [usize; 2],
    pub kernel: [usize; 2],
    pub padding: [usize; 2],
    pub stride: [usize; 2],
    /// The shape of the output actually computed.
    pub output: [usize; 2],
}

/// 6.3's cases, in its order: each convolution run on an 8×8 input (the
/// book's is random; only the shape matters, so here it is 0…63).
pub fn padding_and_stride() -> Vec<ShapeCase> {
    let cases = [
        (
            "nn.Conv2d(1, 1, kernel_size=3, padding=1)",
            [3, 3],
            [1, 1],
            [1, 1],
        ),
        (
            "nn.Conv2d(1, 1, kernel_size=(5, 3), padding=(2, 1))",
            [5, 3],
            [2, 1],
            [1, 1],
        ),
        (
            "nn.Conv2d(1, 1, kernel_size=3, padding=1, stride=2)",
            [3, 3],
            [1, 1],
            [2, 2],
        ),
        (
            "nn.Conv2d(1, 1, kernel_size=(3, 5), padding=(0, 1), stride=(3, 4))",
            [3, 5],
            [0, 1],
            [3, 4],
        ),
    ];
    let input = Matrix::arange(8, 8, 0.0);
    let case = |(code, kernel, padding, stride): (&'static str, [usize; 2], [usize; 2], [usize; 2])| {
        let k = Matrix::from_fn(kernel[0], kernel[1], |_, _| 1.0);
        let output = corr2d_padded(&input, &k, padding, stride).shape();
        let input = input.shape();
        ShapeCase {
            code,
            input,
            kernel,
            padding,
            stride,
            output,
        }
    };
    cases.into_iter().map(case).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corr2d_prints_the_books_values() {
        let case = cross_correlation();
        assert_eq!(case.y.to_rows(), vec![vec![19.0, 25.0], vec![37.0, 43.0]]);
    }

    #[test]
    fn the_kernel_finds_vertical_edges_only() {
        let case = edge_detection();
        assert_eq!(case.x.row(0), &[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
        assert_eq!(case.y.shape(), [6, 7]);
        for r in 0..6 {
            assert_eq!(case.y.row(r), &[0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]);
        }
        assert_eq!(case.y_transposed, Matrix::zeros(8, 5));
    }

    #[test]
    fn padding_and_stride_give_the_books_shapes() {
        let shapes: Vec<[usize; 2]> = padding_and_stride().iter().map(|c| c.output).collect();
        assert_eq!(shapes, vec![[8, 8], [8, 8], [4, 4], [2, 2]]);
        for case in padding_and_stride() {
            let formula = output_shape(case.input, case.kernel, case.padding, case.stride);
            assert_eq!(case.output, formula, "{case:?}");
        }
    }

    #[test]
    fn zero_padding_adds_nothing_but_frames_the_input() {
        let x = Matrix::arange(2, 2, 1.0);
        let one = Matrix::from_rows(&[[1.0]]);
        let framed = corr2d_padded(&x, &one, [1, 1], [1, 1]);
        assert_eq!(framed.shape(), [4, 4]);
        assert_eq!(framed.row(0), &[0.0; 4]);
        assert_eq!(framed.row(1), &[0.0, 1.0, 2.0, 0.0]);
        let strided = corr2d_padded(&Matrix::arange(3, 3, 0.0), &one, [0, 0], [2, 2]);
        assert_eq!(strided.to_rows(), vec![vec![0.0, 2.0], vec![6.0, 8.0]]);
    }
}
