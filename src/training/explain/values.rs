//! Layers that work value by value or feature by feature: batch norm
//! (with the batch's and the running statistics), a dense layer's sum of
//! inputs × weights, activations, dropout and flattening. Plain arithmetic
//! on values read back.

use serde::{Deserialize, Serialize};

use super::{ExplainMode, Position};

/// Of a dense layer's contributions, this many of the largest are named.
pub const LARGEST_CONTRIBUTIONS: usize = 10;

/// Batch norm at one value: the channel's statistics, ε, γ and β, and the
/// value in training mode (the batch's statistics) and in evaluation mode
/// (the running ones), for the same input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Normalised {
    pub channel: usize,
    /// After a dense layer (`BatchNorm1d`): one value per feature and image.
    pub flat: bool,
    /// How many values of the channel the batch holds: the picture's
    /// H × W (1 after a dense layer), a batch of one picture.
    pub count: usize,
    /// The value before.
    pub input: f32,
    pub batch_mean: f32,
    /// The batch's variance (biased: divided by `count`, as normalising uses).
    pub batch_var: f32,
    pub running_mean: f32,
    pub running_var: f32,
    pub eps: f64,
    /// PyTorch's: the weight of the newest batch in the running statistics.
    pub momentum: f64,
    pub gamma: f32,
    pub beta: f32,
    /// (x − batch mean) / √(batch var + ε) × γ + β.
    pub train_value: f32,
    /// (x − running mean) / √(running var + ε) × γ + β.
    pub eval_value: f32,
    /// The running statistics after a training step on this batch:
    /// (1 − momentum) × old + momentum × the batch's.
    pub next_running_mean: f32,
    pub next_running_var: f32,
    /// Which of the two values is the row's.
    pub mode: ExplainMode,
}

impl Normalised {
    pub fn result(&self) -> f32 {
        match self.mode {
            ExplainMode::Train => self.train_value,
            ExplainMode::Eval => self.eval_value,
        }
    }
}

/// What batch norm holds for one channel, beside the values it normalises.
pub(crate) struct NormFrame {
    pub channel: usize,
    pub flat: bool,
    pub gamma: f32,
    pub beta: f32,
    pub running_mean: f32,
    pub running_var: f32,
    pub eps: f64,
    pub momentum: f64,
    pub mode: ExplainMode,
}

impl Normalised {
    /// `input` normalised with the statistics of `channel` (all the
    /// batch's values of its channel) and with the running ones.
    pub(crate) fn compute(frame: NormFrame, channel: &[f32], input: f32) -> Normalised {
        let count = channel.len().max(1);
        let mean = channel.iter().map(|&v| v as f64).sum::<f64>() / count as f64;
        let var = channel.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / count as f64;
        let (gamma, beta, x) = (frame.gamma as f64, frame.beta as f64, input as f64);
        let normalise = |mean: f64, var: f64| ((x - mean) / (var + frame.eps).sqrt() * gamma + beta) as f32;
        let m = frame.momentum;
        let (running_mean, running_var) = (frame.running_mean as f64, frame.running_var as f64);
        Normalised {
            channel: frame.channel,
            flat: frame.flat,
            count,
            input,
            batch_mean: mean as f32,
            batch_var: var as f32,
            running_mean: frame.running_mean,
            running_var: frame.running_var,
            eps: frame.eps,
            momentum: m,
            gamma: frame.gamma,
            beta: frame.beta,
            train_value: normalise(mean, var),
            eval_value: normalise(running_mean, running_var),
            next_running_mean: ((1.0 - m) * running_mean + m * mean) as f32,
            next_running_var: ((1.0 - m) * running_var + m * var) as f32,
            mode: frame.mode,
        }
    }
}

/// One input's share of a dense layer's value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Which input (feature), from 0.
    pub index: usize,
    pub input: f32,
    pub weight: f32,
    pub product: f32,
}

/// A dense layer's value: Σ inputs × weights + bias, the largest
/// contributions named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DenseSum {
    pub out_feature: usize,
    pub inputs: usize,
    /// The `LARGEST_CONTRIBUTIONS` largest in size, largest first.
    pub largest: Vec<Contribution>,
    /// Σ of all the others.
    pub rest: f32,
    /// Σ of all products.
    pub sum: f32,
    pub bias: f32,
    pub total: f32,
}

impl DenseSum {
    /// Output `out_feature` from `inputs` and its weights (one per input).
    pub(crate) fn compute(out_feature: usize, inputs: &[f32], weights: &[f32], bias: f32) -> DenseSum {
        let products: Vec<f64> = inputs
            .iter()
            .zip(weights)
            .map(|(&x, &w)| x as f64 * w as f64)
            .collect();
        let sum: f64 = products.iter().sum();
        let mut order: Vec<usize> = (0..products.len()).collect();
        // Largest in size first; the lower index first on a tie.
        order.sort_by(|&a, &b| products[b].abs().total_cmp(&products[a].abs()).then(a.cmp(&b)));
        order.truncate(LARGEST_CONTRIBUTIONS);
        let largest: Vec<Contribution> = order
            .iter()
            .map(|&i| Contribution {
                index: i,
                input: inputs[i],
                weight: weights[i],
                product: products[i] as f32,
            })
            .collect();
        let named: f64 = order.iter().map(|&i| products[i]).sum();
        DenseSum {
            out_feature,
            inputs: inputs.len(),
            largest,
            rest: (sum - named) as f32,
            sum: sum as f32,
            bias,
            total: (sum + bias as f64) as f32,
        }
    }
}

/// A layer that works value by value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum ElementKind {
    Relu,
    Sigmoid,
    Dropout { prob: f64 },
}

/// An activation or dropout at one value: the input, and what it became.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Elementwise {
    pub kind: ElementKind,
    pub input: f32,
    /// Dropout in training mode: whether this value was dropped (kept
    /// ones are scaled by 1 / (1 − p)); `None` in evaluation mode, where
    /// it passes everything unchanged.
    pub dropped: Option<bool>,
    pub result: f32,
}

impl Elementwise {
    /// `kind` applied to `input`; for dropout in training mode, `output`
    /// (the forward's) says whether the value was dropped, which is chance.
    pub(crate) fn compute(kind: ElementKind, input: f32, mode: ExplainMode, output: f32) -> Elementwise {
        let x = input as f64;
        let (dropped, result) = match (kind, mode) {
            (ElementKind::Relu, _) => (None, x.max(0.0)),
            (ElementKind::Sigmoid, _) => (None, 1.0 / (1.0 + (-x).exp())),
            (ElementKind::Dropout { .. }, ExplainMode::Eval) => (None, x),
            (ElementKind::Dropout { prob }, ExplainMode::Train) => {
                let dropped = output == 0.0 && input != 0.0;
                (Some(dropped), if dropped { 0.0 } else { x / (1.0 - prob) })
            }
        };
        Elementwise {
            kind,
            input,
            dropped,
            result: result as f32,
        }
    }
}

/// Flattening: feature `index` is the map's value at `from`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flattened {
    pub index: usize,
    pub from: Position,
    /// The map's value there.
    pub input: f32,
}

impl Flattened {
    /// Where feature `index` comes from in a `[1, C, H, W]` map.
    pub(crate) fn source(index: usize, map: &[usize]) -> Position {
        match *map {
            [_, _, h, w] => Position::new(index / (h * w), index / w % h, index % w),
            _ => Position::new(index, 0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(mode: ExplainMode) -> NormFrame {
        NormFrame {
            channel: 3,
            flat: false,
            gamma: 2.0,
            beta: 0.5,
            running_mean: 0.0,
            running_var: 1.0,
            eps: 1e-5,
            momentum: 0.1,
            mode,
        }
    }

    #[test]
    fn batch_norm_normalises_with_the_batchs_or_the_running_statistics() {
        let channel = [1.0, 2.0, 3.0, 4.0];
        let norm = Normalised::compute(frame(ExplainMode::Train), &channel, 4.0);
        assert_eq!((norm.batch_mean, norm.batch_var, norm.count), (2.5, 1.25, 4));
        let expected = (1.5 / (1.25f64 + 1e-5).sqrt() * 2.0 + 0.5) as f32;
        assert_eq!(norm.train_value, expected);
        assert_eq!(norm.result(), expected);
        assert_eq!(norm.eval_value, (4.0 / (1.0f64 + 1e-5).sqrt() * 2.0 + 0.5) as f32);
        // Momentum 0.1: 0.9 × 0 + 0.1 × 2.5 and 0.9 × 1 + 0.1 × 1.25.
        assert!((norm.next_running_mean - 0.25).abs() < 1e-7);
        assert!((norm.next_running_var - 1.025).abs() < 1e-7);
        let eval = Normalised::compute(frame(ExplainMode::Eval), &channel, 4.0);
        assert_eq!(eval.result(), eval.eval_value);
    }

    #[test]
    fn batch_norm_after_a_dense_layer_on_one_picture_gives_beta() {
        // One value per feature in a batch of one: variance 0, x − mean = 0.
        let norm = Normalised::compute(frame(ExplainMode::Train), &[7.0], 7.0);
        assert_eq!((norm.batch_mean, norm.batch_var), (7.0, 0.0));
        assert_eq!(norm.train_value, 0.5);
    }

    #[test]
    fn a_dense_sum_names_its_largest_contributions_and_adds_the_rest() {
        let inputs: Vec<f32> = (0..20).map(|i| i as f32).collect();
        let mut weights = vec![0.1f32; 20];
        weights[3] = -10.0;
        let dense = DenseSum::compute(4, &inputs, &weights, 1.0);
        assert_eq!(dense.largest.len(), LARGEST_CONTRIBUTIONS);
        assert_eq!(dense.largest[0].index, 3);
        assert_eq!(dense.largest[0].product, -30.0);
        assert_eq!(dense.largest[1].index, 19);
        let named: f32 = dense.largest.iter().map(|c| c.product).sum();
        assert!((named + dense.rest - dense.sum).abs() < 1e-4);
        let expected: f64 = (0..20).map(|i| i as f64 * if i == 3 { -10.0 } else { 0.1 }).sum();
        assert!((dense.sum as f64 - expected).abs() < 1e-4);
        assert!((dense.total - dense.sum - 1.0).abs() < 1e-5);
        // Fewer inputs than ten: all of them, nothing left over.
        let small = DenseSum::compute(0, &[1.0, -2.0], &[1.0, 1.0], 0.0);
        assert_eq!(small.largest.len(), 2);
        assert_eq!((small.rest, small.total), (0.0, -1.0));
    }

    #[test]
    fn activations_and_dropout_at_one_value() {
        let relu = Elementwise::compute(ElementKind::Relu, -0.3, ExplainMode::Eval, 0.0);
        assert_eq!(relu.result, 0.0);
        let sigmoid = Elementwise::compute(ElementKind::Sigmoid, 0.0, ExplainMode::Eval, 0.5);
        assert_eq!(sigmoid.result, 0.5);
        let dropout = ElementKind::Dropout { prob: 0.5 };
        let eval = Elementwise::compute(dropout, 0.8, ExplainMode::Eval, 0.8);
        assert_eq!((eval.dropped, eval.result), (None, 0.8));
        let kept = Elementwise::compute(dropout, 0.8, ExplainMode::Train, 1.6);
        assert_eq!((kept.dropped, kept.result), (Some(false), 1.6));
        let dropped = Elementwise::compute(dropout, 0.8, ExplainMode::Train, 0.0);
        assert_eq!((dropped.dropped, dropped.result), (Some(true), 0.0));
    }

    #[test]
    fn a_flat_feature_comes_from_channel_row_and_column() {
        // LeNet's flatten: 16 channels of 5×5.
        assert_eq!(Flattened::source(0, &[1, 16, 5, 5]), Position::new(0, 0, 0));
        assert_eq!(Flattened::source(26, &[1, 16, 5, 5]), Position::new(1, 0, 1));
        assert_eq!(Flattened::source(399, &[1, 16, 5, 5]), Position::new(15, 4, 4));
        assert_eq!(Flattened::source(7, &[1, 84]), Position::new(7, 0, 0));
    }
}
