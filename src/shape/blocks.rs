//! Blocks that hold other layers: a sequence, GoogLeNet's Inception,
//! ResNet's residual and DenseNet's dense block. Each resolves its inner
//! layers through the same walk, then joins their outputs.

use super::walk::{At, Walk, block, last_output, leaf};
use super::window::feature_map;
use super::{BYTES_PER_F32, Row, Settings, ShapeError, ShapeProblem, Step, numel};
use crate::arch::Layer;

/// `nn.Sequential`: one layer after another.
pub(super) fn sequential<F: FnMut(&Layer, &[usize])>(
    walk: &mut Walk<F>,
    at: At,
    input: &[usize],
    layers: &[Layer],
) -> Result<Row, ShapeError> {
    let children = walk.sequence(layers, input, &at.path)?;
    let output = last_output(&children, input);
    Ok(block(
        at.name,
        Settings::Code(at.settings),
        input,
        output,
        children,
        false,
    ))
}

/// Paths side by side on the same input, concatenated on the channel axis.
pub(super) fn inception<F: FnMut(&Layer, &[usize])>(
    walk: &mut Walk<F>,
    at: At,
    input: &[usize],
    paths: &[Vec<Layer>],
) -> Result<Row, ShapeError> {
    feature_map(input, &at.path)?;
    let mut children = Vec::with_capacity(paths.len());
    for (i, layers) in paths.iter().enumerate() {
        let rows = walk.sequence(layers, input, &at.path.then(Step::Path(i + 1)))?;
        let output = last_output(&rows, input);
        children.push(block(
            "Sequential",
            Settings::Path(i + 1),
            input,
            output,
            rows,
            false,
        ));
    }
    let first = children
        .first()
        .ok_or_else(|| at.error(ShapeProblem::NoPaths))?
        .output
        .clone();
    let mut output = first.clone();
    output[1] = 0;
    for (i, child) in children.iter().enumerate() {
        let out = &child.output;
        if out.len() != 4 || out[0] != first[0] || out[2..] != first[2..] {
            return Err(at.error(ShapeProblem::CannotConcatenate {
                part: Step::Path(i + 1),
                output: out.clone(),
                with: first,
            }));
        }
        output[1] += out[1];
    }
    let settings = Settings::Paths(children.len());
    Ok(block(at.name, settings, input, output, children, true))
}

/// `relu(body(x) + shortcut(x))`; an empty shortcut is the identity.
pub(super) fn residual<F: FnMut(&Layer, &[usize])>(
    walk: &mut Walk<F>,
    at: At,
    input: &[usize],
    body: &[Layer],
    shortcut: &[Layer],
) -> Result<Row, ShapeError> {
    let body_rows = walk.sequence(body, input, &at.path.then(Step::Body))?;
    let body_out = last_output(&body_rows, input);
    let shortcut_rows = walk.sequence(shortcut, input, &at.path.then(Step::Shortcut))?;
    let shortcut_out = last_output(&shortcut_rows, input);
    if body_out != shortcut_out {
        return Err(at.error(ShapeProblem::CannotAdd {
            body: body_out,
            shortcut: shortcut_out,
        }));
    }
    let mut children = body_rows;
    for mut row in shortcut_rows {
        row.settings = Settings::OnShortcut(row.settings.to_string());
        children.push(row);
    }
    children.push(leaf(
        "ReLU",
        Settings::AfterSum,
        &body_out,
        body_out.clone(),
        0,
        0,
    ));
    let settings = Settings::Residual {
        projection: !shortcut.is_empty(),
    };
    Ok(block(at.name, settings, input, body_out, children, true))
}

/// Conv blocks each seeing the block's input concatenated with every
/// earlier conv block's output.
pub(super) fn dense_block<F: FnMut(&Layer, &[usize])>(
    walk: &mut Walk<F>,
    at: At,
    input: &[usize],
    conv_blocks: &[Vec<Layer>],
) -> Result<Row, ShapeError> {
    let [n, mut channels, h, w] = feature_map(input, &at.path)?;
    let mut children = Vec::with_capacity(conv_blocks.len());
    for (i, layers) in conv_blocks.iter().enumerate() {
        let block_input = vec![n, channels, h, w];
        let rows = walk.sequence(layers, &block_input, &at.path.then(Step::ConvBlock(i + 1)))?;
        let out = last_output(&rows, &block_input);
        if out.len() != 4 || out[0] != n || out[2..] != [h, w] {
            return Err(at.error(ShapeProblem::CannotConcatenate {
                part: Step::ConvBlock(i + 1),
                output: out,
                with: block_input,
            }));
        }
        channels += out[1];
        let settings = Settings::ConvBlock {
            index: i + 1,
            channels,
        };
        let mut child = block("Sequential", settings, &block_input, out, rows, false);
        // The concatenation is a tensor of its own.
        child.activation_bytes += numel(&[n, channels, h, w]) * BYTES_PER_F32;
        children.push(child);
    }
    let settings = Settings::ConvBlocks(conv_blocks.len());
    Ok(block(
        at.name,
        settings,
        input,
        vec![n, channels, h, w],
        children,
        false,
    ))
}
