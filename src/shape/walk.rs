//! One walk over a net's layers: each layer resolved on the input it gets,
//! by a small function per kind of layer (`layers` for single layers,
//! `blocks` for the blocks that hold others).

use super::window::Window;
use super::{
    BYTES_PER_F32, LayerPath, Row, Settings, Shape, ShapeError, ShapeProblem, Step, blocks, layers, numel,
};
use crate::arch::Layer;

/// Resolves layers, showing each one with its input to `seen` first (how
/// `convolutions` finds every convolution without a walk of its own).
pub(super) struct Walk<F> {
    seen: F,
}

impl Walk<fn(&Layer, &[usize])> {
    /// A walk that only resolves.
    pub fn quiet() -> Self {
        Walk { seen: |_, _| {} }
    }
}

impl<F: FnMut(&Layer, &[usize])> Walk<F> {
    pub fn new(seen: F) -> Self {
        Walk { seen }
    }

    /// Resolves one layer on `input`; `parent` names where it sits, for errors.
    pub fn layer(&mut self, layer: &Layer, input: &[usize], parent: &LayerPath) -> Result<Row, ShapeError> {
        (self.seen)(layer, input);
        let at = At::new(layer, input, parent);
        match layer {
            &Layer::Conv2d {
                out_channels,
                kernel,
                stride,
                padding,
            } => layers::conv(
                at,
                input,
                out_channels,
                Window {
                    kernel,
                    stride,
                    padding,
                },
            ),
            &Layer::Linear { out_features } => layers::linear(at, input, out_features),
            &Layer::BatchNorm { eps, momentum } => layers::batch_norm(at, input, eps, momentum),
            &Layer::Dropout { prob } => layers::dropout(at, input, prob),
            Layer::Relu | Layer::Sigmoid => Ok(layers::elementwise(at, input)),
            &Layer::MaxPool2d {
                kernel,
                stride,
                padding,
            } => layers::max_pool(
                at,
                input,
                Window {
                    kernel,
                    stride,
                    padding,
                },
            ),
            &Layer::AvgPool2d { kernel, stride } => layers::avg_pool(
                at,
                input,
                Window {
                    kernel,
                    stride,
                    padding: 0,
                },
            ),
            Layer::GlobalAvgPool2d => layers::global_avg_pool(at, input),
            Layer::Flatten => layers::flatten(at, input),
            Layer::Sequential { layers, .. } => blocks::sequential(self, at, input, layers),
            Layer::Inception { paths } => blocks::inception(self, at, input, paths),
            Layer::Residual { body, shortcut } => blocks::residual(self, at, input, body, shortcut),
            Layer::DenseBlock { conv_blocks } => blocks::dense_block(self, at, input, conv_blocks),
        }
    }

    /// Resolves `layers` one after another from `input`.
    pub fn sequence(
        &mut self,
        layers: &[Layer],
        input: &[usize],
        path: &LayerPath,
    ) -> Result<Vec<Row>, ShapeError> {
        let mut rows = Vec::with_capacity(layers.len());
        let mut shape = input.to_vec();
        for layer in layers {
            let row = self.layer(layer, &shape, path)?;
            shape = row.output.clone();
            rows.push(row);
        }
        Ok(rows)
    }
}

/// A layer's row as far as it is known before it is resolved: its name,
/// its settings (code), and the path errors name it by.
pub(super) struct At {
    pub name: &'static str,
    pub settings: String,
    /// E.g. `row 3 › Sequential (b3) › Inception › path 2 › Conv2d (96→128, k3, p1)`.
    pub path: LayerPath,
}

impl At {
    fn new(layer: &Layer, input: &[usize], parent: &LayerPath) -> At {
        let name = layer.class_name(input.len());
        let settings = describe(layer, input);
        let path = parent.then(Step::Layer {
            name: name.to_string(),
            settings: settings.clone(),
        });
        At { name, settings, path }
    }

    pub fn error(&self, reason: ShapeProblem) -> ShapeError {
        ShapeError::new(&self.path, reason)
    }

    /// The row of a layer that holds no others.
    pub fn leaf(self, input: &[usize], output: Shape, params: u64, macs: u64) -> Row {
        leaf(
            self.name,
            Settings::Code(self.settings),
            input,
            output,
            params,
            macs,
        )
    }
}

pub(super) fn leaf(
    name: &str,
    settings: Settings,
    input: &[usize],
    output: Shape,
    params: u64,
    macs: u64,
) -> Row {
    Row {
        name: name.to_string(),
        settings,
        input: input.to_vec(),
        activation_bytes: numel(&output) * BYTES_PER_F32,
        output,
        params,
        macs,
        children: vec![],
    }
}

/// A block's row, from its inner rows; `extra_output` says whether the block
/// makes a tensor of its own (a concatenation or a sum) beyond theirs.
pub(super) fn block(
    name: &str,
    settings: Settings,
    input: &[usize],
    output: Shape,
    children: Vec<Row>,
    extra_output: bool,
) -> Row {
    let own_bytes = if extra_output {
        numel(&output) * BYTES_PER_F32
    } else {
        0
    };
    Row {
        name: name.to_string(),
        settings,
        input: input.to_vec(),
        params: children.iter().map(|row| row.params).sum(),
        macs: children.iter().map(|row| row.macs).sum(),
        activation_bytes: own_bytes + children.iter().map(|row| row.activation_bytes).sum::<u64>(),
        output,
        children,
    }
}

/// The output of a sequence of rows: the last one's, or its input when empty.
pub(super) fn last_output(rows: &[Row], input: &[usize]) -> Shape {
    rows.last()
        .map_or_else(|| input.to_vec(), |row| row.output.clone())
}

/// A short description of a layer's settings, as a student would read them.
fn describe(layer: &Layer, input: &[usize]) -> String {
    let channels = input.get(1).copied().unwrap_or(0);
    match layer {
        Layer::Conv2d {
            out_channels,
            kernel,
            stride,
            padding,
        } => {
            let mut text = format!("{channels}→{out_channels}, k{kernel}");
            if *stride != 1 {
                text += &format!(", s{stride}");
            }
            if *padding != 0 {
                text += &format!(", p{padding}");
            }
            text
        }
        Layer::Linear { out_features } => format!("{channels}→{out_features}"),
        Layer::BatchNorm { eps, momentum } => {
            let mut text = format!("{channels}");
            if *eps != crate::arch::layer::BN_EPS {
                text += &format!(", eps {eps}");
            }
            if *momentum != crate::arch::layer::BN_MOMENTUM {
                text += &format!(", momentum {momentum}");
            }
            text
        }
        Layer::MaxPool2d {
            kernel,
            stride,
            padding,
        } => {
            let mut text = format!("k{kernel}, s{stride}");
            if *padding != 0 {
                text += &format!(", p{padding}");
            }
            text
        }
        Layer::AvgPool2d { kernel, stride } => format!("k{kernel}, s{stride}"),
        Layer::GlobalAvgPool2d => "1×1".to_string(),
        Layer::Dropout { prob } => format!("p={prob}"),
        Layer::Sequential { title, .. } => title.clone(),
        _ => String::new(),
    }
}
