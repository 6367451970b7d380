//! Several input and output channels (6.4): the book's `corr2d_multi_in`,
//! `corr2d_multi_in_out` and the 1×1 convolution as a matrix product.

use super::{Matrix, Seeded, corr2d};

/// The book's `corr2d_multi_in`: one kernel per input channel, their
/// cross-correlations summed into one output channel.
pub fn corr2d_multi_in(x: &[Matrix], k: &[Matrix]) -> Matrix {
    assert_eq!(x.len(), k.len(), "one kernel per input channel");
    let mut outputs = x.iter().zip(k).map(|(x, k)| corr2d(x, k));
    let first = outputs.next().expect("at least one channel");
    outputs.fold(first, |sum, y| {
        Matrix::from_fn(y.rows(), y.cols(), |r, c| sum.get(r, c) + y.get(r, c))
    })
}

/// The book's `corr2d_multi_in_out`: one output channel per stack of
/// kernels in `k` (`k[o][i]`: output `o`'s kernel over input `i`).
pub fn corr2d_multi_in_out(x: &[Matrix], k: &[Vec<Matrix>]) -> Vec<Matrix> {
    k.iter().map(|kernels| corr2d_multi_in(x, kernels)).collect()
}

/// The book's `corr2d_multi_in_out_1x1`: a 1×1 convolution with `k`
/// (outputs × inputs) is `k @ X` with X's channels as rows, its pixels as
/// columns; each output row read back as a channel.
pub fn corr2d_multi_in_out_1x1(x: &[Matrix], k: &Matrix) -> (Matrix, Vec<Matrix>) {
    let [h, w] = x[0].shape();
    let pixels: Vec<f32> = x.iter().flat_map(|c| c.values().iter().copied()).collect();
    let product = k.matmul(&Matrix::new(x.len(), h * w, pixels));
    let channels = (0..product.rows())
        .map(|o| Matrix::new(h, w, product.row(o).to_vec()))
        .collect();
    (product, channels)
}

/// 6.4.1: two input channels, one kernel each, summed.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiInput {
    pub x: Vec<Matrix>,
    pub k: Vec<Matrix>,
    pub y: Matrix,
}

/// The book's two input channels (0…8 and 1…9) and their kernels.
fn two_channels() -> (Vec<Matrix>, Vec<Matrix>) {
    let x = vec![Matrix::arange(3, 3, 0.0), Matrix::arange(3, 3, 1.0)];
    let k = vec![
        Matrix::from_rows(&[[0.0, 1.0], [2.0, 3.0]]),
        Matrix::from_rows(&[[1.0, 2.0], [3.0, 4.0]]),
    ];
    (x, k)
}

pub fn multi_input() -> MultiInput {
    let (x, k) = two_channels();
    let y = corr2d_multi_in(&x, &k);
    MultiInput { x, k, y }
}

/// 6.4.2: the same input, three output channels from K, K + 1, K + 2.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiInputOutput {
    pub x: Vec<Matrix>,
    /// `k[o][i]`: 3 outputs × 2 inputs of 2×2 kernels.
    pub k: Vec<Vec<Matrix>>,
    pub y: Vec<Matrix>,
}

pub fn multi_input_output() -> MultiInputOutput {
    let (x, k) = two_channels();
    let stacked: Vec<Vec<Matrix>> = (0..3)
        .map(|o| k.iter().map(|kernel| kernel.map(|v| v + o as f32)).collect())
        .collect();
    let y = corr2d_multi_in_out(&x, &stacked);
    MultiInputOutput { x, k: stacked, y }
}

/// 6.4.3: a 1×1 convolution of a random 3×3×3 input with a random 2×3×1×1
/// kernel, computed both ways.
#[derive(Clone, Debug, PartialEq)]
pub struct OneByOne {
    /// The seed the random values are drawn from (the book's are random).
    pub seed: u64,
    pub x: Vec<Matrix>,
    /// The 1×1 kernels as a 2×3 matrix: output channels × input channels.
    pub k: Matrix,
    /// `K.reshape(2, 3) @ X.reshape(3, 9)`.
    pub product: Matrix,
    /// The product's rows read as 3×3 channels.
    pub by_product: Vec<Matrix>,
    /// `corr2d_multi_in_out(X, K)` with 1×1 kernels.
    pub by_convolution: Vec<Matrix>,
    /// The largest difference between the two (the book asks < 1e-6).
    pub largest_difference: f32,
}

/// The seed of the 1×1 case's input and kernel (its section, 6.4.3).
pub const ONE_BY_ONE_SEED: u64 = 643;

pub fn one_by_one() -> OneByOne {
    let mut random = Seeded::new(ONE_BY_ONE_SEED);
    let x: Vec<Matrix> = (0..3).map(|_| random.normal_matrix(3, 3)).collect();
    let k = random.normal_matrix(2, 3);
    let (product, by_product) = corr2d_multi_in_out_1x1(&x, &k);
    let kernels: Vec<Vec<Matrix>> = (0..2)
        .map(|o| (0..3).map(|i| Matrix::from_rows(&[[k.get(o, i)]])).collect())
        .collect();
    let by_convolution = corr2d_multi_in_out(&x, &kernels);
    let largest_difference = by_product
        .iter()
        .zip(&by_convolution)
        .map(|(a, b)| a.largest_difference(b))
        .fold(0.0, f32::max);
    OneByOne {
        seed: ONE_BY_ONE_SEED,
        x,
        k,
        product,
        by_product,
        by_convolution,
        largest_difference,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(channels: &[Matrix]) -> Vec<Vec<Vec<f32>>> {
        channels.iter().map(Matrix::to_rows).collect()
    }

    #[test]
    fn two_input_channels_sum_into_the_books_output() {
        let case = multi_input();
        assert_eq!(case.y.to_rows(), vec![vec![56.0, 72.0], vec![104.0, 120.0]]);
    }

    #[test]
    fn three_output_channels_are_the_books() {
        let case = multi_input_output();
        assert_eq!(case.k.len(), 3);
        assert!(case.k.iter().all(|kernels| kernels.len() == 2));
        assert_eq!(case.k[2][1].to_rows(), vec![vec![3.0, 4.0], vec![5.0, 6.0]]);
        assert_eq!(
            rows(&case.y),
            vec![
                vec![vec![56.0, 72.0], vec![104.0, 120.0]],
                vec![vec![76.0, 100.0], vec![148.0, 172.0]],
                vec![vec![96.0, 128.0], vec![192.0, 224.0]],
            ]
        );
    }

    #[test]
    fn a_1x1_convolution_is_a_matrix_product() {
        let case = one_by_one();
        assert_eq!(case.product.shape(), [2, 9]);
        assert_eq!(case.by_product.len(), 2);
        assert_eq!(case.by_convolution[1].shape(), [3, 3]);
        assert!(case.largest_difference < 1e-6, "{}", case.largest_difference);
        // Not a trivial agreement: the values are spread, none zero.
        assert!(case.x.iter().flat_map(|c| c.values()).all(|v| v.abs() > 0.0));
        assert_eq!(case, one_by_one(), "the same seed, the same case");
    }
}
