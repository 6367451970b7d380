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

use super::layer::*;

pub fn bn_lenet() -> Vec<Layer> {
    vec![
        conv(6, 5), batch_norm(), sigmoid(),
        avg_pool(2, 2),
        conv(16, 5), batch_norm(), sigmoid(),
        avg_pool(2, 2), flatten(),
        linear(120), batch_norm(), sigmoid(),
        linear(84), batch_norm(), sigmoid(),
        linear(10),
    ]
}
