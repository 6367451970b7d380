//! LeNet with batch normalisation (d2l §7.5, the concise version), beside
//!
//! ```python
//! net = nn.Sequential(
//!     nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2),
//!     nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
//!     nn.Linear(256, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
//!     nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
//!     nn.Linear(84, 10))
//! ```
//!
//! with where batch norm goes, and its `eps` and `momentum`, in
//! [`BnLeNetConfig`].

use serde::{Deserialize, Serialize};

use super::layer::*;
use super::NetIo;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BnLeNetConfig {
    /// Batch norm after conv 1, conv 2, dense 1, dense 2: on or off.
    pub places: Vec<bool>,
    /// Between the layer and its activation, as the book puts it; `false`
    /// puts it after the activation (the exercise).
    pub before_activation: bool,
    pub eps: f64,
    /// PyTorch's: the weight of each new batch in the running statistics.
    pub momentum: f64,
    pub activation: Activation,
    /// The input's channels and the classes: what the data asks of the net.
    #[serde(flatten)]
    pub io: NetIo,
}

impl Default for BnLeNetConfig {
    fn default() -> Self {
        Self {
            places: vec![true; 4],
            before_activation: true,
            eps: BN_EPS,
            momentum: BN_MOMENTUM,
            activation: Activation::Sigmoid,
            io: NetIo::default(),
        }
    }
}

pub fn bn_lenet(config: &BnLeNetConfig) -> Vec<Layer> {
    // `layer`, batch norm (where it is on) and the activation, in the order asked.
    let normed = |place: usize, layer: Layer| {
        let mut layers = vec![layer, activation(config.activation)];
        if config.places.get(place).copied().unwrap_or(false) {
            let at = if config.before_activation { 1 } else { 2 };
            layers.insert(at, batch_norm_with(config.eps, config.momentum));
        }
        layers
    };
    let mut net = vec![];
    net.extend(normed(0, conv(6, 5)));
    net.push(avg_pool(2, 2));
    net.extend(normed(1, conv(16, 5)));
    net.extend([avg_pool(2, 2), flatten()]);
    net.extend(normed(2, linear(120)));
    net.extend(normed(3, linear(84)));
    net.push(linear(config.io.classes));
    net
}
