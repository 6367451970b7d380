//! LeNet (d2l §6.6), beside the book's
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

use super::layer::*;

pub fn lenet() -> Vec<Layer> {
    vec![
        conv(6, 5).padding(2), sigmoid(),
        avg_pool(2, 2),
        conv(16, 5), sigmoid(),
        avg_pool(2, 2),
        flatten(),
        linear(120), sigmoid(),
        linear(84), sigmoid(),
        linear(10),
    ]
}
