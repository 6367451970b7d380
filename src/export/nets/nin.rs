//! NiN (d2l §7.3) as the book writes it: `nin_block` with the form's
//! number of 1×1 convolutions, and the blocks with their settings.
//!
//! ```python
//! net = nn.Sequential(
//!     nin_block(1, 96, kernel_size=11, strides=4, padding=0),
//!     nn.MaxPool2d(3, stride=2),
//!     ...
//!     nn.Dropout(0.5),
//!     nin_block(384, 10, kernel_size=3, strides=1, padding=1),
//!     nn.AdaptiveAvgPool2d((1, 1)),
//!     nn.Flatten())
//! ```

use crate::arch::NiNConfig;
use crate::export::python::{block, float};

/// The book's `nin_block`, with `one_by_one` 1×1 convolutions (two in the book).
fn nin_block(one_by_one: usize) -> String {
    let mut lines = vec![
        "nn.Conv2d(in_channels, out_channels, kernel_size, strides, padding),".to_string(),
        "nn.ReLU(),".to_string(),
    ];
    for _ in 0..one_by_one {
        lines.push("nn.Conv2d(out_channels, out_channels, kernel_size=1), nn.ReLU(),".to_string());
    }
    let last = lines.last_mut().expect("a first convolution");
    last.pop(); // its comma: the last item closes the call
    let body = block("    return nn.Sequential(", &lines).replace("\n    ", "\n        ");
    format!("def nin_block(in_channels, out_channels, kernel_size, strides, padding):\n{body}\n")
}

pub fn code(config: &NiNConfig) -> String {
    let mut lines = vec![];
    let last = config.blocks.len().saturating_sub(1);
    let mut input = 1;
    for (i, &(channels, kernel, strides, padding)) in config.blocks.iter().enumerate() {
        if i == last {
            lines.push(format!("nn.Dropout({}),", float(config.dropout)));
        }
        lines.push(format!(
            "nin_block({input}, {channels}, kernel_size={kernel}, strides={strides}, padding={padding}),"
        ));
        if i < last {
            lines.push("nn.MaxPool2d(3, stride=2),".to_string());
        }
        input = channels;
    }
    lines.extend([
        "nn.AdaptiveAvgPool2d((1, 1)),".to_string(),
        "nn.Flatten()".to_string(),
    ]);
    format!(
        "{}\n\n{}",
        nin_block(config.one_by_one),
        block("net = nn.Sequential(", &lines)
    )
}
