//! Each net as the book writes it in PyTorch, one short file per net
//! beside `src/arch`'s: the book's helpers (`vgg_block`, `Inception`,
//! `Residual`, ...) and `net = ...`, with the form's edits written in as
//! values, so the code reads beside the chapter. Widths the book writes as
//! numbers but that follow from the input size (a dense layer's input
//! after `nn.Flatten()`) come from the shape table.

mod alexnet;
mod bn_lenet;
mod densenet;
mod googlenet;
mod lenet;
mod nin;
mod resnet;
mod vgg;

use crate::arch::{Activation, NetConfig, Pooling};
use crate::shape::ShapeTable;

/// A net's Python.
pub struct NetCode {
    /// Its classes and functions, then `net = ...`.
    pub code: String,
    /// `(PyTorch's name, our weights files' name)` for the parts of tensor
    /// names where our files differ from the net's `state_dict`.
    pub file_names: Vec<(&'static str, &'static str)>,
}

impl NetCode {
    fn same_names(code: String) -> NetCode {
        NetCode {
            code,
            file_names: vec![],
        }
    }
}

/// `net`'s Python, for the input its shape `table` was computed on.
pub fn net_code(net: &NetConfig, table: &ShapeTable) -> NetCode {
    match net {
        NetConfig::LeNet(config) => NetCode::same_names(lenet::code(config, &flattened(table))),
        NetConfig::AlexNet(config) => NetCode::same_names(alexnet::code(config, &flattened(table))),
        NetConfig::Vgg(config) => NetCode::same_names(vgg::code(config, &flattened(table))),
        NetConfig::NiN(config) => NetCode::same_names(nin::code(config)),
        NetConfig::GoogLeNet(config) => NetCode::same_names(googlenet::code(config)),
        NetConfig::BnLeNet(config) => NetCode::same_names(bn_lenet::code(config, &flattened(table))),
        NetConfig::ResNet(config) => resnet::code(config),
        NetConfig::DenseNet(config) => NetCode::same_names(densenet::code(config)),
    }
}

/// The `[C, H, W]` that the net's top-level `nn.Flatten()` flattens (LeNet,
/// AlexNet, VGG and BN-LeNet have one).
fn flattened(table: &ShapeTable) -> Vec<usize> {
    let row = table
        .rows
        .iter()
        .find(|row| row.name == "Flatten")
        .expect("LeNet, AlexNet, VGG and BN-LeNet flatten at the top level");
    row.input[1..].to_vec()
}

/// `nn.Sigmoid()` or `nn.ReLU()`.
fn activation(kind: Activation) -> &'static str {
    match kind {
        Activation::Sigmoid => "nn.Sigmoid()",
        Activation::Relu => "nn.ReLU()",
    }
}

/// LeNet's pooling: `nn.AvgPool2d(kernel_size=2, stride=2)` or its max twin.
fn pooling(kind: Pooling) -> &'static str {
    match kind {
        Pooling::Avg => "nn.AvgPool2d(kernel_size=2, stride=2)",
        Pooling::Max => "nn.MaxPool2d(kernel_size=2, stride=2)",
    }
}

/// `16 * 5 * 5`: a flattened width as the book writes LeNet's.
fn product(dims: &[usize]) -> String {
    dims.iter().map(usize::to_string).collect::<Vec<_>>().join(" * ")
}
