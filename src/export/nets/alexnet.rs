//! AlexNet (d2l §7.1) as the book writes it:
//!
//! ```python
//! net = nn.Sequential(
//!     nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
//!     nn.MaxPool2d(kernel_size=3, stride=2),
//!     nn.Flatten(),
//!     nn.Linear(6400, 4096), nn.ReLU(),
//!     nn.Dropout(p=0.5),
//!     nn.Linear(4096, 4096), nn.ReLU(),
//!     nn.Dropout(p=0.5),
//!     nn.Linear(4096, 10))
//! ```

use crate::arch::AlexNetConfig;
use crate::export::python::{block, conv2d, float};

/// `flat` is what `nn.Flatten()` flattens, `[C, H, W]`.
pub fn code(config: &AlexNetConfig, flat: &[usize]) -> String {
    let c = |i: usize| config.channels.get(i).copied().unwrap_or(0);
    let (kernel, stride, padding) = config.first_conv;
    let (dense, p) = (config.dense, float(config.dropout));
    let pool = "nn.MaxPool2d(kernel_size=3, stride=2),".to_string();
    let lines = [
        format!("{}, nn.ReLU(),", conv2d(1, c(0), kernel, stride, padding)),
        pool.clone(),
        format!("{}, nn.ReLU(),", conv2d(c(0), c(1), 5, 1, 2)),
        pool.clone(),
        format!("{}, nn.ReLU(),", conv2d(c(1), c(2), 3, 1, 1)),
        format!("{}, nn.ReLU(),", conv2d(c(2), c(3), 3, 1, 1)),
        format!("{}, nn.ReLU(),", conv2d(c(3), c(4), 3, 1, 1)),
        pool,
        "nn.Flatten(),".to_string(),
        format!(
            "nn.Linear({}, {dense}), nn.ReLU(),",
            flat.iter().product::<usize>()
        ),
        format!("nn.Dropout(p={p}),"),
        format!("nn.Linear({dense}, {dense}), nn.ReLU(),"),
        format!("nn.Dropout(p={p}),"),
        format!("nn.Linear({dense}, 10)"),
    ];
    block("net = nn.Sequential(", &lines)
}
