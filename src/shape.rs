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

use serde::Serialize;

use crate::arch::Layer;

/// A tensor shape: `[N, C, H, W]` for feature maps, `[N, F]` once flattened.
pub type Shape = Vec<usize>;

const BYTES_PER_F32: u64 = 4;

/// One element of the net and what it does to its input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// PyTorch's class name, as the book prints it (`Conv2d`, `Sequential`).
    pub name: String,
    /// What the book calls a block (`b1`, `vgg_block(2, 256)`), or the
    /// layer's settings (`1→6, k5, p2`).
    pub settings: String,
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

/// Why a net cannot take an input: where, and what went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{layer}: {reason}")]
pub struct ShapeError {
    /// The path to the layer, e.g. `row 3 Sequential (b3) › Inception › path 2 › Conv2d (96→128, k3, p1)`.
    pub layer: String,
    pub reason: String,
}

impl ShapeTable {
    /// The table for `layers` on an input of shape `input` (`[N, C, H, W]`).
    pub fn compute(layers: &[Layer], input: &[usize]) -> Result<ShapeTable, ShapeError> {
        let mut rows = Vec::with_capacity(layers.len());
        let mut shape = input.to_vec();
        for (i, layer) in layers.iter().enumerate() {
            let row = resolve(layer, &shape, &format!("row {}", i + 1))?;
            shape = row.output.clone();
            rows.push(row);
        }
        // The loss takes one score per class.
        if let (Some(last), &[n, ..]) = (rows.last(), input)
            && last.output != [n, crate::arch::NUM_CLASSES]
        {
            let name = format!("row {} {}", rows.len(), last.name);
            return Err(error(
                &name,
                format!(
                    "the net ends in {:?}, but the loss needs [N, {}]: one score per class",
                    last.output,
                    crate::arch::NUM_CLASSES
                ),
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

    /// The largest single activation (bytes, and the row that makes it) and
    /// the largest single weight (bytes): what must fit one GPU buffer.
    pub fn largest_tensors(&self) -> ((u64, String), u64) {
        fn walk(rows: &[Row], activation: &mut (u64, String), weight: &mut u64) {
            for row in rows {
                let bytes = numel(&row.output) * BYTES_PER_F32;
                if bytes > activation.0 {
                    *activation = (bytes, format!("{} ({})", row.name, row.settings));
                }
                if row.children.is_empty() {
                    *weight = (*weight).max(row.params * BYTES_PER_F32);
                }
                walk(&row.children, activation, weight);
            }
        }
        let mut activation = (numel(&self.input) * BYTES_PER_F32, "the input".to_string());
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
    resolve(layer, input, "net").map(|row| row.output)
}

/// One convolution of a net and the input it sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvSite {
    /// `[N, C, H, W]`.
    pub input: Shape,
    pub out_channels: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// A convolution by its sizes, batch aside: `(in channels, out channels,
/// height, width, kernel, stride, padding)`.
pub type ConvCase = (usize, usize, usize, usize, usize, usize, usize);

impl ConvSite {
    pub fn case(&self) -> ConvCase {
        let [_, in_channels, height, width] = self.input[..] else {
            unreachable!("a convolution's input is [N, C, H, W]")
        };
        (
            in_channels,
            self.out_channels,
            height,
            width,
            self.kernel,
            self.stride,
            self.padding,
        )
    }
}

/// Every distinct convolution of the eight nets at the input size each
/// trains at (VGG at the book's width ratio, as it trains): the shapes our
/// kernels are tested on.
pub fn book_convolutions() -> std::collections::BTreeSet<ConvCase> {
    use crate::arch::{Arch, INPUT_CHANNELS, NetConfig};
    let mut cases = std::collections::BTreeSet::new();
    for arch in Arch::ALL {
        let side = arch.book_settings().resize;
        let layers = NetConfig::default_for(arch).layers();
        let sites =
            convolutions(&layers, &[1, INPUT_CHANNELS, side, side]).expect("the book's nets fit their sizes");
        cases.extend(sites.iter().map(ConvSite::case));
    }
    cases
}

/// Every convolution in `layers` on `input`, blocks walked in order.
pub fn convolutions(layers: &[Layer], input: &[usize]) -> Result<Vec<ConvSite>, ShapeError> {
    let mut sites = Vec::new();
    let mut shape = input.to_vec();
    for layer in layers {
        match layer {
            Layer::Conv2d {
                out_channels,
                kernel,
                stride,
                padding,
            } => sites.push(ConvSite {
                input: shape.clone(),
                out_channels: *out_channels,
                kernel: *kernel,
                stride: *stride,
                padding: *padding,
            }),
            Layer::Sequential { layers, .. } => sites.extend(convolutions(layers, &shape)?),
            Layer::Inception { paths } => {
                for path in paths {
                    sites.extend(convolutions(path, &shape)?);
                }
            }
            Layer::Residual { body, shortcut } => {
                sites.extend(convolutions(body, &shape)?);
                sites.extend(convolutions(shortcut, &shape)?);
            }
            Layer::DenseBlock { conv_blocks } => {
                let mut grown = shape.clone();
                for block in conv_blocks {
                    sites.extend(convolutions(block, &grown)?);
                    let block_output = resolve(
                        &Layer::Sequential {
                            title: String::new(),
                            layers: block.clone(),
                        },
                        &grown,
                        "net",
                    )?
                    .output;
                    grown[1] += block_output[1];
                }
            }
            _ => {}
        }
        shape = layer_output(layer, &shape)?;
    }
    Ok(sites)
}

fn numel(shape: &[usize]) -> u64 {
    shape.iter().map(|&d| d as u64).product()
}

fn leaf(name: &str, settings: String, input: &[usize], output: Shape, params: u64, macs: u64) -> Row {
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
fn block(
    name: &str,
    settings: String,
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

fn error(path: &str, reason: impl Into<String>) -> ShapeError {
    ShapeError {
        layer: path.to_string(),
        reason: reason.into(),
    }
}

fn expect_feature_map(input: &[usize], path: &str) -> Result<[usize; 4], ShapeError> {
    match *input {
        [n, c, h, w] => Ok([n, c, h, w]),
        _ => Err(error(
            path,
            format!("needs a [N, C, H, W] feature map but gets {input:?}; is there a Flatten before it?"),
        )),
    }
}

/// Output side of a sliding window (PyTorch's floor rule), or why there is none.
fn window_output(
    side: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    axis: &str,
) -> Result<usize, String> {
    if kernel == 0 || stride == 0 {
        return Err("kernel and stride must be at least 1".to_string());
    }
    let padded = side + 2 * padding;
    if padded < kernel {
        return Err(format!(
            "the {axis} would drop below 1 (a {kernel}×{kernel} window does not fit in {side} pixels{}); use a larger input",
            if padding > 0 {
                format!(" padded by {padding}")
            } else {
                String::new()
            }
        ));
    }
    Ok((padded - kernel) / stride + 1)
}

fn window(
    input: &[usize],
    path: &str,
    out_channels: Option<usize>,
    kernel: usize,
    stride: usize,
    padding: usize,
) -> Result<Shape, ShapeError> {
    let [n, c, h, w] = expect_feature_map(input, path)?;
    let oh = window_output(h, kernel, stride, padding, "height").map_err(|e| error(path, e))?;
    let ow = window_output(w, kernel, stride, padding, "width").map_err(|e| error(path, e))?;
    Ok(vec![n, out_channels.unwrap_or(c), oh, ow])
}

fn resolve_sequence(layers: &[Layer], input: &[usize], path: &str) -> Result<Vec<Row>, ShapeError> {
    let mut rows = Vec::with_capacity(layers.len());
    let mut shape = input.to_vec();
    for layer in layers {
        let row = resolve(layer, &shape, path)?;
        shape = row.output.clone();
        rows.push(row);
    }
    Ok(rows)
}

fn last_output(rows: &[Row], input: &[usize]) -> Shape {
    rows.last()
        .map_or_else(|| input.to_vec(), |row| row.output.clone())
}

/// Resolves one layer on `input`; `parent` names where it sits, for errors.
fn resolve(layer: &Layer, input: &[usize], parent: &str) -> Result<Row, ShapeError> {
    let name = layer.class_name(input.len());
    let settings = describe(layer, input);
    let path = match settings.as_str() {
        "" => format!("{parent} › {name}"),
        s => format!("{parent} › {name} ({s})"),
    };
    let path = path.as_str();
    match layer {
        Layer::Conv2d {
            out_channels,
            kernel,
            stride,
            padding,
        } => {
            if *out_channels == 0 {
                return Err(error(path, "needs at least 1 output channel"));
            }
            let output = window(input, path, Some(*out_channels), *kernel, *stride, *padding)?;
            let (c_in, c_out, k) = (input[1] as u64, *out_channels as u64, *kernel as u64);
            let params = c_out * c_in * k * k + c_out;
            let macs = numel(&output) * c_in * k * k;
            Ok(leaf(name, settings, input, output, params, macs))
        }
        Layer::Linear { out_features } => {
            let &[n, features] = input else {
                return Err(error(
                    path,
                    format!("needs a flat [N, F] input but gets {input:?}; add a Flatten before it"),
                ));
            };
            if *out_features == 0 {
                return Err(error(path, "needs at least 1 output feature"));
            }
            let output = vec![n, *out_features];
            let (f_in, f_out) = (features as u64, *out_features as u64);
            Ok(leaf(
                name,
                settings,
                input,
                output,
                f_in * f_out + f_out,
                n as u64 * f_in * f_out,
            ))
        }
        Layer::BatchNorm { eps, momentum } => {
            if !(eps.is_finite() && *eps > 0.0 && *eps <= 1.0) {
                return Err(error(
                    path,
                    format!("eps must be above 0 and at most 1, not {eps}"),
                ));
            }
            if !(0.0..=1.0).contains(momentum) {
                return Err(error(
                    path,
                    format!("momentum must be from 0 to 1, not {momentum}"),
                ));
            }
            if input.len() != 2 && input.len() != 4 {
                return Err(error(
                    path,
                    format!("needs [N, C] or [N, C, H, W] but gets {input:?}"),
                ));
            }
            Ok(leaf(
                name,
                settings,
                input,
                input.to_vec(),
                2 * input[1] as u64,
                numel(input),
            ))
        }
        Layer::Dropout { prob } if !(0.0..1.0).contains(prob) => Err(error(
            path,
            format!("the dropout probability must be from 0 to below 1, not {prob}"),
        )),
        Layer::Relu | Layer::Sigmoid | Layer::Dropout { .. } => {
            Ok(leaf(name, settings, input, input.to_vec(), 0, 0))
        }
        Layer::MaxPool2d {
            kernel,
            stride,
            padding,
        } => {
            if 2 * padding > *kernel {
                return Err(error(
                    path,
                    "padding may be at most half the kernel (as in PyTorch)",
                ));
            }
            let output = window(input, path, None, *kernel, *stride, *padding)?;
            Ok(leaf(name, settings, input, output, 0, 0))
        }
        Layer::AvgPool2d { kernel, stride } => {
            let output = window(input, path, None, *kernel, *stride, 0)?;
            Ok(leaf(name, settings, input, output, 0, 0))
        }
        Layer::GlobalAvgPool2d => {
            let [n, c, _, _] = expect_feature_map(input, path)?;
            Ok(leaf(name, settings, input, vec![n, c, 1, 1], 0, 0))
        }
        Layer::Flatten => {
            if input.len() < 2 {
                return Err(error(
                    path,
                    format!("needs a batch axis and more, gets {input:?}"),
                ));
            }
            let output = vec![input[0], input[1..].iter().product()];
            Ok(leaf(name, settings, input, output, 0, 0))
        }
        Layer::Sequential { layers, .. } => {
            let children = resolve_sequence(layers, input, path)?;
            let output = last_output(&children, input);
            Ok(block(name, settings, input, output, children, false))
        }
        Layer::Inception { paths } => {
            expect_feature_map(input, path)?;
            let mut children = Vec::with_capacity(paths.len());
            for (i, layers) in paths.iter().enumerate() {
                let path_name = format!("path {}", i + 1);
                let rows = resolve_sequence(layers, input, &format!("{path} › {path_name}"))?;
                let output = last_output(&rows, input);
                children.push(block("Sequential", path_name, input, output, rows, false));
            }
            let first = children
                .first()
                .ok_or_else(|| error(path, "has no paths"))?
                .output
                .clone();
            let mut output = first.clone();
            output[1] = 0;
            for child in &children {
                let out = &child.output;
                if out.len() != 4 || out[0] != first[0] || out[2..] != first[2..] {
                    return Err(error(
                        path,
                        format!(
                            "{} gives {out:?}, which cannot be concatenated with {first:?}",
                            child.settings
                        ),
                    ));
                }
                output[1] += out[1];
            }
            let settings = format!("{} paths, concatenated", children.len());
            Ok(block(name, settings, input, output, children, true))
        }
        Layer::Residual { body, shortcut } => {
            let body_rows = resolve_sequence(body, input, &format!("{path} › body"))?;
            let body_out = last_output(&body_rows, input);
            let shortcut_rows = resolve_sequence(shortcut, input, &format!("{path} › shortcut"))?;
            let shortcut_out = last_output(&shortcut_rows, input);
            if body_out != shortcut_out {
                return Err(error(
                    path,
                    format!(
                        "the body gives {body_out:?} but the shortcut gives {shortcut_out:?}; they must match to be added (use a 1×1 convolution on the shortcut)"
                    ),
                ));
            }
            let mut children = body_rows;
            for mut row in shortcut_rows {
                row.settings = format!("shortcut: {}", row.settings);
                children.push(row);
            }
            children.push(leaf(
                "ReLU",
                "after the sum".to_string(),
                &body_out,
                body_out.clone(),
                0,
                0,
            ));
            let settings = match shortcut.is_empty() {
                true => "identity shortcut".to_string(),
                false => "1×1 conv shortcut".to_string(),
            };
            Ok(block(name, settings, input, body_out, children, true))
        }
        Layer::DenseBlock { conv_blocks } => {
            let [n, mut channels, h, w] = expect_feature_map(input, path)?;
            let mut children = Vec::with_capacity(conv_blocks.len());
            for (i, layers) in conv_blocks.iter().enumerate() {
                let block_input = vec![n, channels, h, w];
                let block_name = format!("conv_block {}", i + 1);
                let rows = resolve_sequence(layers, &block_input, &format!("{path} › {block_name}"))?;
                let out = last_output(&rows, &block_input);
                if out.len() != 4 || out[0] != n || out[2..] != [h, w] {
                    return Err(error(
                        path,
                        format!(
                            "{block_name} gives {out:?}, which cannot be concatenated with [{n}, {channels}, {h}, {w}]"
                        ),
                    ));
                }
                channels += out[1];
                let settings = format!("{block_name}, concatenated to {channels} channels");
                let mut child = block("Sequential", settings, &block_input, out, rows, false);
                // The concatenation is a tensor of its own.
                child.activation_bytes += numel(&[n, channels, h, w]) * BYTES_PER_F32;
                children.push(child);
            }
            let settings = format!("{} conv blocks", conv_blocks.len());
            Ok(block(
                name,
                settings,
                input,
                vec![n, channels, h, w],
                children,
                false,
            ))
        }
    }
}

impl ShapeTable {
    /// The table as aligned text, as the book prints it plus settings,
    /// parameters, MACs and memory; `expand` adds every block's inner layers.
    pub fn to_text(&self, expand: bool) -> String {
        use crate::format::{bytes, shape, thousands};
        let mut lines = vec![[
            "#".to_string(),
            "layer".to_string(),
            "settings".to_string(),
            "output shape".to_string(),
            "params".to_string(),
            "MACs".to_string(),
            "memory".to_string(),
        ]];
        fn push(lines: &mut Vec<[String; 7]>, row: &Row, number: String, depth: usize, expand: bool) {
            let indent = "  ".repeat(depth);
            lines.push([
                number,
                format!("{indent}{}", row.name),
                row.settings.clone(),
                shape(&row.output),
                thousands(row.params),
                thousands(row.macs),
                bytes(row.activation_bytes),
            ]);
            if expand {
                for child in &row.children {
                    push(lines, child, String::new(), depth + 1, expand);
                }
            }
        }
        for (i, row) in self.rows.iter().enumerate() {
            push(&mut lines, row, (i + 1).to_string(), 0, expand);
        }
        lines.push([
            String::new(),
            "total".to_string(),
            String::new(),
            String::new(),
            thousands(self.total_params),
            thousands(self.total_macs),
            bytes(self.total_activation_bytes),
        ]);
        let widths: Vec<usize> = (0..7)
            .map(|col| {
                lines
                    .iter()
                    .map(|line| line[col].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in &lines {
            let mut text = String::new();
            for (col, cell) in line.iter().enumerate() {
                let pad = widths[col] - cell.chars().count();
                // Names and settings read left to right; numbers line up on the right.
                if col == 1 || col == 2 || col == 3 {
                    text += &format!("{cell}{}  ", " ".repeat(pad));
                } else {
                    text += &format!("{}{cell}  ", " ".repeat(pad));
                }
            }
            out += text.trim_end();
            out.push('\n');
        }
        out
    }
}
