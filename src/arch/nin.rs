//! Network in Network (d2l §7.3), beside the book's
//!
//! ```python
//! def nin_block(in_channels, out_channels, kernel_size, strides, padding):
//!     return nn.Sequential(
//!         nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding),
//!         nn.ReLU(),
//!         nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),
//!         nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU())
//!
//! net = nn.Sequential(
//!     nin_block(1, 96, kernel_size=11, strides=4, padding=0),
//!     nn.MaxPool2d(3, stride=2),
//!     nin_block(96, 256, kernel_size=5, strides=1, padding=2),
//!     nn.MaxPool2d(3, stride=2),
//!     nin_block(256, 384, kernel_size=3, strides=1, padding=1),
//!     nn.MaxPool2d(3, stride=2),
//!     nn.Dropout(0.5),
//!     nin_block(384, 10, kernel_size=3, strides=1, padding=1),
//!     nn.AdaptiveAvgPool2d((1, 1)),
//!     nn.Flatten())
//! ```

use super::layer::*;

fn nin_block(out_channels: usize, kernel_size: usize, strides: usize, padding: usize) -> Layer {
    sequential(
        format!("nin_block({out_channels}, {kernel_size}, {strides}, {padding})"),
        vec![
            conv(out_channels, kernel_size).stride(strides).padding(padding),
            relu(),
            conv(out_channels, 1), relu(),
            conv(out_channels, 1), relu(),
        ],
    )
}

pub fn nin() -> Vec<Layer> {
    vec![
        nin_block(96, 11, 4, 0),
        max_pool(3, 2),
        nin_block(256, 5, 1, 2),
        max_pool(3, 2),
        nin_block(384, 3, 1, 1),
        max_pool(3, 2),
        dropout(0.5),
        nin_block(10, 3, 1, 1),
        global_avg_pool(),
        flatten(),
    ]
}
