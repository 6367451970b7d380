//! Numbers for the tests that compare one computation on two backends (or
//! ours against Burn's): tensors' values on the host, seeded random inputs,
//! an output weighting, and how far two results are apart.

use std::fmt;

use burn::tensor::{Tensor, TensorData};

use super::Mutator;

/// A tensor's values, read back to the host as `f32`.
pub fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .expect("f32 values")
}

/// Standard normal values from a generator of their own (not Burn's, whose
/// seed is shared by the tests running beside this one), the same on every
/// call with the same seed; made on the host, so every backend sees the
/// same.
pub fn random<const D: usize>(shape: [usize; D], seed: u64) -> TensorData {
    let mut generator = Mutator(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut uniform = move || ((generator.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let values: Vec<f32> = (0..shape.iter().product::<usize>())
        .map(|_| {
            // Box-Muller
            let (u, v) = (uniform(), uniform());
            ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
        })
        .collect();
    TensorData::new(values, shape)
}

/// A factor in [-0.5, 0.5) for each of `len` outputs: the gradient of
/// `sum(output × weighting)` differs from output to output, so a gradient
/// that lands on the wrong one shows.
pub fn weighting(len: usize) -> Vec<f32> {
    (0..len).map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5).collect()
}

/// The worst difference between an expected result and an actual one, and
/// where it is.
#[derive(Clone, Copy, Debug)]
pub struct Difference {
    /// The largest `|expected − actual| / scale`; infinite where either
    /// side is NaN (or both are infinite), so a NaN never passes.
    pub worst: f32,
    /// The flat index of the worst value.
    pub at: usize,
    pub expected: f32,
    pub actual: f32,
}

impl Difference {
    /// The worst of `|expected[i] − actual[i]| / scale(i)`.
    pub fn between(expected: &[f32], actual: &[f32], scale: impl Fn(usize) -> f32) -> Self {
        assert_eq!(expected.len(), actual.len(), "lengths");
        let (worst, at) = expected
            .iter()
            .zip(actual)
            .enumerate()
            .map(|(i, (e, a))| {
                let difference = (e - a).abs() / scale(i);
                (
                    if difference.is_nan() {
                        f32::INFINITY
                    } else {
                        difference
                    },
                    i,
                )
            })
            .fold(
                (0.0f32, 0),
                |worst, next| if next.0 > worst.0 { next } else { worst },
            );
        Difference {
            worst,
            at,
            expected: expected.get(at).copied().unwrap_or(0.0),
            actual: actual.get(at).copied().unwrap_or(0.0),
        }
    }

    /// Relative to `max(|expected|, 1)`: absolute for values within ±1,
    /// relative beyond.
    pub fn relative(expected: &[f32], actual: &[f32]) -> Self {
        Self::between(expected, actual, |i| expected[i].abs().max(1.0))
    }

    /// Relative to the size of each sum: `sums` holds the same computation
    /// over the absolute values of its terms (at least 1e-3). Two f32 sums
    /// of thousands of terms in different orders differ by more than their
    /// result's 1e-4 when the terms cancel; by less than the sums'.
    pub fn relative_to_sums(expected: &[f32], actual: &[f32], sums: &[f32]) -> Self {
        assert_eq!(expected.len(), sums.len(), "lengths of the sums");
        Self::between(expected, actual, |i| sums[i].max(1e-3))
    }

    /// Whether the worst difference is past `tolerance` (a NaN always is).
    pub fn exceeds(&self, tolerance: f32) -> bool {
        self.worst > tolerance
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Difference {
            worst,
            at,
            expected,
            actual,
        } = self;
        write!(f, "{worst:e} at {at} (expected {expected}, got {actual})")
    }
}

/// Asserts that `actual` is `expected` within `tolerance`, relative to
/// `max(|expected|, 1)` ([`Difference::relative`]).
#[track_caller]
pub fn assert_close(what: &str, expected: &[f32], actual: &[f32], tolerance: f32) {
    assert_eq!(expected.len(), actual.len(), "{what}: lengths");
    let difference = Difference::relative(expected, actual);
    assert!(
        !difference.exceeds(tolerance),
        "{what}: differs by {difference} (> {tolerance:e})"
    );
}

// Every test binary with `mod common` runs these; they take microseconds.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_absolute_within_one_relative_beyond_and_nan_never_passes() {
        let d = Difference::relative(&[0.5, 200.0, -3.0], &[0.5001, 200.01, -3.0]);
        assert_eq!((d.at, d.expected, d.actual), (0, 0.5, 0.5001));
        assert!((d.worst - 1e-4).abs() < 1e-6, "{d}");
        assert!(!d.exceeds(2e-4) && d.exceeds(5e-5));
        let nan = Difference::relative(&[1.0, 2.0], &[1.0, f32::NAN]);
        assert_eq!((nan.worst, nan.at), (f32::INFINITY, 1));
        assert!(nan.exceeds(f32::MAX));
        let sums = Difference::relative_to_sums(&[1.0, 0.0], &[1.0, 0.01], &[1.0, 100.0]);
        assert!((sums.worst - 1e-4).abs() < 1e-9 && sums.at == 1, "{sums}");
    }

    #[test]
    fn random_values_repeat_with_their_seed_and_are_standard_normal() {
        let a = random([4, 250], 7).try_to_vec::<f32>().unwrap();
        assert_eq!(a, random([4, 250], 7).try_to_vec::<f32>().unwrap());
        assert_ne!(a, random([4, 250], 8).try_to_vec::<f32>().unwrap());
        let mean = a.iter().sum::<f32>() / 1000.0;
        let variance = a.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / 1000.0;
        assert!(
            mean.abs() < 0.15 && (variance - 1.0).abs() < 0.15,
            "{mean} {variance}"
        );
    }
}
