//! Learning a kernel (6.2.4): a 1×2 convolution without bias learns the
//! edge kernel back from the image and its edges by gradient descent on
//! the summed squared error, exactly the book's loop, in plain arithmetic.

use super::{Matrix, Seeded, corr2d, edge_image, edge_kernel};

/// The book's learning rate.
pub const LEARNING_RATE: f32 = 3e-2;
/// The book's number of steps (it calls them epochs: one batch each).
pub const EPOCHS: usize = 10;
/// The book prints the loss every this many epochs.
pub const PRINT_EVERY: usize = 2;
/// The seed of the starting kernel (its section, 6.2.4): the book's is
/// random, different on every run.
pub const LEARNING_SEED: u64 = 624;

/// A line the book prints: `epoch 2, loss 4.949`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochLoss {
    pub epoch: usize,
    pub loss: f32,
}

/// What the learning prints, and where it starts and ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Learning {
    pub seed: u64,
    /// The starting 1×2 kernel.
    pub start: Matrix,
    /// Every 2nd epoch's loss, as the book prints them.
    pub losses: Vec<EpochLoss>,
    /// The kernel after the 10 steps: close to `[[1, -1]]`.
    pub kernel: Matrix,
}

/// The starting kernel: drawn as PyTorch starts a `Conv2d` with two
/// inputs per output (fan-in 2), uniform in ±1/√2, from a fixed seed.
pub fn starting_kernel(seed: u64) -> Matrix {
    let bound = 1.0 / 2f32.sqrt();
    let mut random = Seeded::new(seed);
    let values = (0..2).map(|_| random.uniform(-bound, bound)).collect();
    Matrix::new(1, 2, values)
}

/// The book's loop: 10 steps from the seeded start.
pub fn learn_kernel() -> Learning {
    learn_kernel_from(starting_kernel(LEARNING_SEED), LEARNING_SEED)
}

/// The book's loop from `start`: each step computes the loss with the
/// kernel as it is, then steps against the gradient; every 2nd step's
/// loss (taken before its update, as the book's `l` is) is printed.
pub fn learn_kernel_from(start: Matrix, seed: u64) -> Learning {
    let (x, k) = (edge_image(), edge_kernel());
    let y = corr2d(&x, &k);
    let mut kernel = start.clone();
    let mut losses = vec![];
    for i in 0..EPOCHS {
        let (loss, gradient) = loss_and_gradient(&x, &y, &kernel);
        kernel = Matrix::from_fn(1, 2, |_, c| kernel.get(0, c) - LEARNING_RATE * gradient[c]);
        if (i + 1) % PRINT_EVERY == 0 {
            losses.push(EpochLoss { epoch: i + 1, loss });
        }
    }
    Learning {
        seed,
        start,
        losses,
        kernel,
    }
}

/// The loss Σ (Ŷ − Y)² and its gradient with respect to the two weights:
/// ∂/∂w_b = Σ 2 (Ŷ − Y)_ij · X_i,j+b.
fn loss_and_gradient(x: &Matrix, y: &Matrix, kernel: &Matrix) -> (f32, [f32; 2]) {
    let y_hat = corr2d(x, kernel);
    let (mut loss, mut gradient) = (0.0, [0.0; 2]);
    for i in 0..y.rows() {
        for j in 0..y.cols() {
            let error = y_hat.get(i, j) - y.get(i, j);
            loss += error * error;
            for (b, g) in gradient.iter_mut().enumerate() {
                *g += 2.0 * error * x.get(i, j + b);
            }
        }
    }
    (loss, gradient)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loop in closed form, for this image: the loss is a quadratic
    /// in the error e = w − (1, −1) whose Hessian has eigenvalues 60 along
    /// (1, 1) and 12 along (1, −1) (from the image's 6 rows of
    /// 1 1 0 0 0 0 1 1). So after t steps the error's two parts have been
    /// multiplied by (1 − 60·lr)^t and (1 − 12·lr)^t, and the loss is
    /// 60·u² + 12·v² for e = u·(1, 1) + v·(1, −1).
    fn closed_form(start: &Matrix, steps: i32) -> ([f64; 2], f64) {
        let lr = LEARNING_RATE as f64;
        let e = [start.get(0, 0) as f64 - 1.0, start.get(0, 1) as f64 + 1.0];
        let u = (e[0] + e[1]) / 2.0 * (1.0 - 60.0 * lr).powi(steps);
        let v = (e[0] - e[1]) / 2.0 * (1.0 - 12.0 * lr).powi(steps);
        ([1.0 + u + v, -1.0 + u - v], 60.0 * u * u + 12.0 * v * v)
    }

    #[test]
    fn the_loop_learns_the_edge_kernel_back() {
        let learning = learn_kernel();
        assert_eq!(learning.start, starting_kernel(LEARNING_SEED));
        let ([a, b], _) = closed_form(&learning.start, EPOCHS as i32);
        assert!(
            (learning.kernel.get(0, 0) as f64 - a).abs() < 1e-4,
            "{learning:?}"
        );
        assert!(
            (learning.kernel.get(0, 1) as f64 - b).abs() < 1e-4,
            "{learning:?}"
        );
        assert!(
            learning.kernel.largest_difference(&edge_kernel()) < 0.15,
            "{learning:?}"
        );
    }

    #[test]
    fn the_printed_losses_are_the_loops_and_fall() {
        let learning = learn_kernel();
        let epochs: Vec<usize> = learning.losses.iter().map(|l| l.epoch).collect();
        assert_eq!(epochs, vec![2, 4, 6, 8, 10]);
        for line in &learning.losses {
            // Epoch e prints the loss before its update: after e − 1 steps.
            let (_, loss) = closed_form(&learning.start, line.epoch as i32 - 1);
            assert!(
                (line.loss as f64 - loss).abs() < 1e-4 * loss.max(1.0),
                "{line:?}: {loss}"
            );
        }
        let falling = learning.losses.windows(2).all(|pair| pair[1].loss < pair[0].loss);
        assert!(falling, "{:?}", learning.losses);
        // The book's fall: from about 10 to well under 1.
        assert!(learning.losses[0].loss > 5.0, "{:?}", learning.losses);
        assert!(learning.losses[4].loss < 0.5, "{:?}", learning.losses);
    }

    #[test]
    fn the_start_is_pytorchs_range_and_the_same_every_time() {
        let start = starting_kernel(LEARNING_SEED);
        assert_eq!(start.shape(), [1, 2]);
        assert!(start.values().iter().all(|v| v.abs() < 0.7072));
        assert_eq!(start, starting_kernel(LEARNING_SEED));
        assert_ne!(start, starting_kernel(LEARNING_SEED + 1));
    }
}
