//! LeNet with batch normalisation (d2l §7.5, the concise version) as the
//! book writes it, with batch norm where the form puts it:
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

use super::activation;
use crate::arch::BnLeNetConfig;
use crate::arch::layer::{BN_EPS, BN_MOMENTUM};
use crate::export::python::{block, conv2d, float};

/// `nn.BatchNorm2d(6)`, with `eps` and `momentum` where they are not PyTorch's.
fn batch_norm(config: &BnLeNetConfig, dims: usize, width: usize) -> String {
    let mut text = format!("nn.BatchNorm{dims}d({width}");
    if config.eps != BN_EPS {
        text += &format!(", eps={}", float(config.eps));
    }
    if config.momentum != BN_MOMENTUM {
        text += &format!(", momentum={}", float(config.momentum));
    }
    text + ")"
}

/// `layer`, its batch norm where the form has one, and the activation, in
/// the form's order: one line of the book's.
fn normed(config: &BnLeNetConfig, place: usize, layer: String, norm: String) -> String {
    let act = activation(config.activation).to_string();
    let mut parts = vec![layer, act];
    if config.places.get(place).copied().unwrap_or(false) {
        let at = if config.before_activation { 1 } else { 2 };
        parts.insert(at, norm);
    }
    parts.join(", ") + ","
}

/// `flat` is what `nn.Flatten()` flattens, `[C, H, W]`.
pub fn code(config: &BnLeNetConfig, flat: &[usize]) -> String {
    let pool = "nn.AvgPool2d(kernel_size=2, stride=2)";
    let flat: usize = flat.iter().product();
    let lines = [
        normed(config, 0, conv2d(1, 6, 5, 1, 0), batch_norm(config, 2, 6)),
        format!("{pool},"),
        normed(config, 1, conv2d(6, 16, 5, 1, 0), batch_norm(config, 2, 16)),
        format!("{pool}, nn.Flatten(),"),
        normed(
            config,
            2,
            format!("nn.Linear({flat}, 120)"),
            batch_norm(config, 1, 120),
        ),
        normed(
            config,
            3,
            "nn.Linear(120, 84)".to_string(),
            batch_norm(config, 1, 84),
        ),
        "nn.Linear(84, 10)".to_string(),
    ];
    block("net = nn.Sequential(", &lines)
}
