//! LeNet (d2l §6.6) as the book writes it:
//!
//! ```python
//! net = nn.Sequential(
//!     nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2),
//!     nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
//!     nn.AvgPool2d(kernel_size=2, stride=2),
//!     nn.Flatten(),
//!     nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
//!     nn.Linear(120, 84), nn.Sigmoid(),
//!     nn.Linear(84, 10))
//! ```

use super::{activation, pooling, product};
use crate::arch::LeNetConfig;
use crate::export::python::{block, conv2d};

/// `flat` is what `nn.Flatten()` flattens, `[C, H, W]`.
pub fn code(config: &LeNetConfig, flat: &[usize]) -> String {
    let act = activation(config.activation);
    let mut lines = vec![];
    let mut input = 1;
    for (i, &channels) in config.channels.iter().enumerate() {
        let padding = if i == 0 { config.padding } else { 0 };
        lines.push(format!(
            "{}, {act},",
            conv2d(input, channels, config.kernel, 1, padding)
        ));
        lines.push(format!("{},", pooling(config.pooling)));
        input = channels;
    }
    lines.push("nn.Flatten(),".to_string());
    let mut width = product(flat);
    for &dense in &config.dense {
        lines.push(format!("nn.Linear({width}, {dense}), {act},"));
        width = dense.to_string();
    }
    lines.push(format!("nn.Linear({width}, 10)"));
    block("net = nn.Sequential(", &lines)
}
