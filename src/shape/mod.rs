//! The layer-by-layer shape table, computed from a net's description without
//! running it: instant at any input size.
//!
//! One [`Row`] per top-level element — the rows the book's printing loop
//! prints — each block row carrying its inner layers as children. Parameter
//! counts follow PyTorch: weights and biases, batch norm's scale and shift
//! (not its running statistics). MACs count the multiply-accumulates of
//! convolutions, linear layers and batch norm (one per element, its affine
//! transform); activations, pooling and concatenation count none.
//! Activation memory is the f32 bytes of every tensor a row produces, which
//! is what a backward pass keeps alive.

mod blocks;
mod convolutions;
mod error;
mod labels;
mod layers;
mod text;
mod walk;
mod window;

use serde::Serialize;

use crate::arch::{Layer, NetConfig};
use walk::Walk;

pub use convolutions::{ConvCase, ConvSite, book_convolutions, convolutions};
pub use error::{Axis, LayerPath, ShapeError, ShapeProblem, Step};
pub use labels::{Producer, Settings};

/// A tensor shape: `[N, C, H, W]` for feature maps, `[N, F]` once flattened.
pub type Shape = Vec<usize>;

const BYTES_PER_F32: u64 = 4;

/// One element of the net and what it does to its input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// PyTorch's class name, as the book prints it (`Conv2d`, `Sequential`).
    pub name: String,
    /// What the book calls a block (`b1`, `vgg_block(2, 256)`), the
    /// layer's settings (`1→6, k5, p2`), or a block's words (`4 paths,
    /// concatenated`).
    #[serde(serialize_with = "labels::in_english")]
    pub settings: Settings,
    pub input: Shape,
    pub output: Shape,
    pub params: u64,
    pub macs: u64,
    pub activation_bytes: u64,
    /// A block's inner layers; empty for a plain layer.
    pub children: Vec<Row>,
}

/// Every row of a net at one input shape, with totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShapeTable {
    pub input: Shape,
    pub rows: Vec<Row>,
    pub total_params: u64,
    pub total_macs: u64,
    pub total_activation_bytes: u64,
}

impl ShapeTable {
    /// The table of `net` on a batch of `batch` inputs of side `side`, with
    /// the channels and classes its description gives.
    pub fn of(net: &NetConfig, batch: usize, side: usize) -> Result<ShapeTable, ShapeError> {
        ShapeTable::with_classes(&net.layers(), &net.input_shape(batch, side), net.classes())
    }

    /// The table for `layers` on an input of shape `input` (`[N, C, H, W]`),
    /// ending in Fashion-MNIST's ten class scores.
    pub fn compute(layers: &[Layer], input: &[usize]) -> Result<ShapeTable, ShapeError> {
        ShapeTable::with_classes(layers, input, crate::arch::NUM_CLASSES)
    }

    /// The table for `layers` on `input`, ending in `classes` scores.
    fn with_classes(layers: &[Layer], input: &[usize], classes: usize) -> Result<ShapeTable, ShapeError> {
        let mut rows = Vec::with_capacity(layers.len());
        let mut shape = input.to_vec();
        let mut walk = Walk::quiet();
        for (i, layer) in layers.iter().enumerate() {
            let row = walk.layer(layer, &shape, &LayerPath::row(i + 1))?;
            shape = row.output.clone();
            rows.push(row);
        }
        // The loss takes one score per class.
        if let (Some(last), &[n, ..]) = (rows.last(), input)
            && last.output != [n, classes]
        {
            let at = LayerPath(vec![Step::LastRow {
                row: rows.len(),
                name: last.name.clone(),
            }]);
            return Err(ShapeError::new(
                &at,
                ShapeProblem::NotClassScores {
                    output: last.output.clone(),
                    classes,
                },
            ));
        }
        Ok(ShapeTable {
            input: input.to_vec(),
            total_params: rows.iter().map(|row| row.params).sum(),
            total_macs: rows.iter().map(|row| row.macs).sum(),
            total_activation_bytes: rows.iter().map(|row| row.activation_bytes).sum(),
            rows,
        })
    }

    /// The largest single activation (bytes, and what makes it) and the
    /// largest single weight (bytes): what must fit one GPU buffer.
    pub fn largest_tensors(&self) -> ((u64, Producer), u64) {
        fn walk(rows: &[Row], activation: &mut (u64, Producer), weight: &mut u64) {
            for row in rows {
                let bytes = numel(&row.output) * BYTES_PER_F32;
                if bytes > activation.0 {
                    let row_name = Producer::Row {
                        name: row.name.clone(),
                        settings: row.settings.clone(),
                    };
                    *activation = (bytes, row_name);
                }
                if row.children.is_empty() {
                    *weight = (*weight).max(row.params * BYTES_PER_F32);
                }
                walk(&row.children, activation, weight);
            }
        }
        let mut activation = (numel(&self.input) * BYTES_PER_F32, Producer::Input);
        let mut weight = 0;
        walk(&self.rows, &mut activation, &mut weight);
        (activation, weight)
    }

    /// The row at `path`: `[2]` is the third row, `[2, 0]` the first row
    /// inside it (as `model::LayerModule::forward_watched` numbers outputs).
    pub fn row_at(&self, path: &[usize]) -> Option<&Row> {
        let (&first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(self.rows.get(first)?, |row, &i| row.children.get(i))
    }

    /// The net's output shape (the last row's, or the input's when empty).
    pub fn output(&self) -> &[usize] {
        self.rows.last().map_or(&self.input, |row| &row.output)
    }
}

/// A row path as people write it: row numbers from 1, joined by dots
/// (`3.2` is the second layer inside the third row).
pub fn row_path_text(path: &[usize]) -> String {
    path.iter()
        .map(|i| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

/// The row path written as `row_path_text` writes it.
pub fn parse_row_path(text: &str) -> Result<Vec<usize>, String> {
    text.trim()
        .split('.')
        .map(|part| match part.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n - 1),
            _ => Err(format!(
                "`{text}` is not a row: row numbers from 1, joined by dots for the layers inside a block (3.2)"
            )),
        })
        .collect()
}

/// The output shape of one layer on `input`, or why it has none.
pub fn layer_output(layer: &Layer, input: &[usize]) -> Result<Shape, ShapeError> {
    Walk::quiet()
        .layer(layer, input, &LayerPath::net())
        .map(|row| row.output)
}

fn numel(shape: &[usize]) -> u64 {
    shape.iter().map(|&d| d as u64).product()
}
