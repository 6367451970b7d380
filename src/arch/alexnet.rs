//! AlexNet (d2l §7.1), beside the book's
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

use super::layer::*;

pub fn alexnet() -> Vec<Layer> {
    vec![
        conv(96, 11).stride(4).padding(1), relu(),
        max_pool(3, 2),
        conv(256, 5).padding(2), relu(),
        max_pool(3, 2),
        conv(384, 3).padding(1), relu(),
        conv(384, 3).padding(1), relu(),
        conv(256, 3).padding(1), relu(),
        max_pool(3, 2),
        flatten(),
        linear(4096), relu(),
        dropout(0.5),
        linear(4096), relu(),
        dropout(0.5),
        linear(10),
    ]
}
