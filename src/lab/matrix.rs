//! A small dense matrix of `f32`, row-major: all the lab's experiments
//! need (the book's cases are at most 8×9), and a seeded generator for
//! the few values the book draws at random.

/// A `rows`×`cols` matrix, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    values: Vec<f32>,
}

impl Matrix {
    /// `values` row after row; their count must be `rows × cols`.
    pub fn new(rows: usize, cols: usize, values: Vec<f32>) -> Matrix {
        assert_eq!(values.len(), rows * cols, "a {rows}×{cols} matrix");
        Matrix { rows, cols, values }
    }

    /// As the book writes a tensor: `[[0, 1], [2, 3]]`.
    pub fn from_rows<const C: usize>(rows: &[[f32; C]]) -> Matrix {
        let values = rows.iter().flatten().copied().collect();
        Matrix::new(rows.len(), C, values)
    }

    /// Each cell computed from its row and column.
    pub fn from_fn(rows: usize, cols: usize, cell: impl Fn(usize, usize) -> f32) -> Matrix {
        let values = (0..rows * cols).map(|i| cell(i / cols, i % cols)).collect();
        Matrix::new(rows, cols, values)
    }

    /// `torch.arange(start, start + rows·cols).reshape(rows, cols)`.
    pub fn arange(rows: usize, cols: usize, start: f32) -> Matrix {
        Matrix::from_fn(rows, cols, |r, c| start + (r * cols + c) as f32)
    }

    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix::new(rows, cols, vec![0.0; rows * cols])
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `[rows, cols]`, as the book prints a shape.
    pub fn shape(&self) -> [usize; 2] {
        [self.rows, self.cols]
    }

    pub fn get(&self, row: usize, col: usize) -> f32 {
        self.values[row * self.cols + col]
    }

    /// Row `r`'s values.
    pub fn row(&self, r: usize) -> &[f32] {
        &self.values[r * self.cols..(r + 1) * self.cols]
    }

    /// All values, row after row.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// As nested rows, the way the tests write the book's values.
    pub fn to_rows(&self) -> Vec<Vec<f32>> {
        (0..self.rows).map(|r| self.row(r).to_vec()).collect()
    }

    /// `X.T`.
    pub fn transpose(&self) -> Matrix {
        Matrix::from_fn(self.cols, self.rows, |r, c| self.get(c, r))
    }

    /// `X + 1` and friends: `f` on every cell.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Matrix {
        Matrix::new(self.rows, self.cols, self.values.iter().map(|&v| f(v)).collect())
    }

    /// The same values read as a `rows`×`cols` matrix (`reshape`).
    pub fn reshape(&self, rows: usize, cols: usize) -> Matrix {
        Matrix::new(rows, cols, self.values.clone())
    }

    /// The matrix product `self @ other`.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "inner sizes of a product");
        Matrix::from_fn(self.rows, other.cols, |r, c| {
            (0..self.cols).map(|i| self.get(r, i) * other.get(i, c)).sum()
        })
    }

    /// The cell at (`row`, `col`) of this matrix framed by `padding`
    /// rows and columns on each side: `None` in the frame.
    pub fn padded(&self, row: usize, col: usize, padding: [usize; 2]) -> Option<f32> {
        let row = row.checked_sub(padding[0]).filter(|&r| r < self.rows)?;
        let col = col.checked_sub(padding[1]).filter(|&c| c < self.cols)?;
        Some(self.get(row, col))
    }

    /// The largest |a − b| over the cells of two matrices of one shape.
    pub fn largest_difference(&self, other: &Matrix) -> f32 {
        assert_eq!(self.shape(), other.shape(), "matrices of one shape");
        let pairs = self.values.iter().zip(&other.values);
        pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
    }
}

/// One cell as the lab's tables write it: a whole number without
/// decimals (`19`, `-1`, never `-0`), anything else with three.
pub fn cell_text(value: f32) -> String {
    if value == value.round() {
        // `+ 0.0` turns −0 into 0: a learned or summed zero may be negative.
        format!("{:.0}", value + 0.0)
    } else {
        format!("{value:.3}")
    }
}

/// A seeded random source (SplitMix64): where the book draws values at
/// random, the lab draws them from a fixed seed, so that every visit shows
/// the same numbers.
#[derive(Clone, Debug)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi), as `torch.nn.init.uniform_`.
    pub fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit() as f32
    }

    /// Standard normal (Box–Muller), as `torch.normal(0, 1, …)`.
    pub fn normal(&mut self) -> f32 {
        let u = 1.0 - self.unit(); // in (0, 1]: its logarithm is finite
        let v = self.unit();
        ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
    }

    /// A `rows`×`cols` matrix of standard normal values.
    pub fn normal_matrix(&mut self, rows: usize, cols: usize) -> Matrix {
        let values = (0..rows * cols).map(|_| self.normal()).collect();
        Matrix::new(rows, cols, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_reads_transposes_and_multiplies_as_the_book_does() {
        let x = Matrix::arange(2, 3, 0.0);
        assert_eq!(x.to_rows(), vec![vec![0.0, 1.0, 2.0], vec![3.0, 4.0, 5.0]]);
        assert_eq!(x.transpose().shape(), [3, 2]);
        assert_eq!(x.transpose().get(2, 1), 5.0);
        let product = x.matmul(&x.transpose());
        assert_eq!(product.to_rows(), vec![vec![5.0, 14.0], vec![14.0, 50.0]]);
        assert_eq!(x.reshape(3, 2).row(1), &[2.0, 3.0]);
        assert_eq!(x.map(|v| v + 1.0).largest_difference(&x), 1.0);
        assert_eq!(x.padded(1, 1, [1, 1]), Some(0.0));
        assert_eq!(x.padded(2, 3, [1, 0]), None);
        assert_eq!(x.padded(0, 0, [1, 1]), None);
        assert_eq!(x.padded(2, 3, [1, 1]), Some(5.0));
        assert_eq!(x.padded(3, 3, [1, 1]), None);
    }

    #[test]
    fn cells_read_as_whole_numbers_when_they_are() {
        assert_eq!(cell_text(19.0), "19");
        assert_eq!(cell_text(-1.0), "-1");
        assert_eq!(cell_text(-0.0), "0");
        assert_eq!(cell_text(1.0499), "1.050");
        assert_eq!(cell_text(-0.93), "-0.930");
    }

    #[test]
    fn a_seed_draws_the_same_values_every_time() {
        let (mut a, mut b) = (Seeded::new(7), Seeded::new(7));
        let drawn: Vec<f32> = (0..100).map(|_| a.uniform(-0.5, 0.5)).collect();
        assert!(drawn.iter().all(|v| (-0.5..0.5).contains(v)));
        assert_eq!(drawn, (0..100).map(|_| b.uniform(-0.5, 0.5)).collect::<Vec<_>>());
        let normal: Vec<f32> = (0..2000).map(|_| a.normal()).collect();
        let mean = normal.iter().sum::<f32>() / normal.len() as f32;
        assert!(mean.abs() < 0.1, "mean {mean}");
    }
}
