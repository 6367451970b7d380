//! What a block's explanation reads: a sequence's layers and its last
//! one's explanation, the parts of a concatenation, and a residual block's
//! f(x), x and sum with the gradient each path carries back to x.

use burn::tensor::activation::{log_softmax, relu};
use burn::tensor::{Int, Tensor, TensorData};

use super::explainer::{Build, Explainer, plain, select};
use super::fetch::{Fetch, Fetched, Handle};
use super::joins::{ConcatKind, ConcatSource, Concatenation, InnerLayer, MapsRms, PathGradients};
use super::rows::{RowRef, Source, map, residual_parts, resolve, run_after};
use super::{ExplainError, How, Position, ResidualMaps, ResidualSum, Sequence, SequenceKind};
use crate::model::{DenseBlock, Features, Inception, LayerModule, Residual};

fn no_row(path: &[usize]) -> ExplainError {
    ExplainError::NoRow { row: path.to_vec() }
}

/// A block of `len` layers at `path` (its output is its last one's).
pub(super) fn sequence(
    ex: &Explainer,
    path: &[usize],
    kind: SequenceKind,
    len: usize,
    at: Position,
    fetch: &mut Fetch,
) -> Result<Build, ExplainError> {
    if len == 0 {
        return Err(no_row(path));
    }
    let mut layers = Vec::with_capacity(len);
    for j in 0..len {
        let row = [path, &[j]].concat();
        let resolved = resolve(&ex.net, &row).ok_or_else(|| no_row(&row))?;
        let input = ex.dims(&resolved.input).ok_or_else(|| no_row(&row))?;
        let output = ex.outputs.rows.get(&row).ok_or_else(|| no_row(&row))?.dims();
        layers.push(InnerLayer { row, input, output });
    }
    let last = ex.plan(&layers[len - 1].row.clone(), at, fetch)?;
    Ok(Box::new(move |fetched| {
        let last = Box::new(last.finish(fetched).explanation);
        (How::Sequence(Sequence { kind, layers, last }), None)
    }))
}

/// The value at `at` from the part of a concatenation that holds its channel.
fn concat(
    kind: ConcatKind,
    sources: Vec<(ConcatSource, Option<Vec<usize>>, usize)>,
    features: Vec<Features>,
    path: &[usize],
    at: Position,
    fetch: &mut Fetch,
) -> Result<Build, ExplainError> {
    let parts = Concatenation::ranges(sources);
    let (part, channel_in_part) = Concatenation::part_of(&parts, at.channel).ok_or_else(|| no_row(path))?;
    let value = fetch.add(select(
        features[part].clone(),
        Position::new(channel_in_part, at.y, at.x),
    ));
    Ok(plain(move |fetched| {
        How::Concat(Concatenation {
            kind,
            parts,
            part,
            channel_in_part,
            result: fetched.one(value),
        })
    }))
}

pub(super) fn inception(
    ex: &Explainer,
    path: &[usize],
    inception: &Inception,
    at: Position,
    fetch: &mut Fetch,
) -> Result<Build, ExplainError> {
    let mut sources = vec![];
    let mut features = vec![];
    for index in 0..inception.paths.len() {
        let row = [path, &[index]].concat();
        let output = ex.outputs.rows.get(&row).ok_or_else(|| no_row(&row))?;
        sources.push((ConcatSource::Path { index }, Some(row), output.dims()[1]));
        features.push(output.clone());
    }
    concat(ConcatKind::Inception, sources, features, path, at, fetch)
}

pub(super) fn dense_block(
    ex: &Explainer,
    path: &[usize],
    input: &Source,
    dense: &DenseBlock,
    at: Position,
    fetch: &mut Fetch,
) -> Result<Build, ExplainError> {
    let block_input = ex.outputs.get(input).ok_or_else(|| no_row(path))?;
    let mut sources = vec![(ConcatSource::BlockInput, None, block_input.dims()[1])];
    let mut features = vec![block_input];
    for index in 0..dense.conv_blocks.len() {
        let row = [path, &[index]].concat();
        let output = ex.outputs.rows.get(&row).ok_or_else(|| no_row(&row))?;
        sources.push((ConcatSource::ConvBlock { index }, Some(row), output.dims()[1]));
        features.push(output.clone());
    }
    concat(ConcatKind::DenseBlock, sources, features, path, at, fetch)
}

/// A residual block at `block` (its input `input`): f(x), x and their sum
/// at `at` and as whole maps, and the gradient through each path.
pub(super) fn residual(
    ex: &Explainer,
    block: &[usize],
    residual: &Residual,
    input: &Source,
    at: Position,
    fetch: &mut Fetch,
) -> Result<Build, ExplainError> {
    let (f, x) = residual_parts(residual, block, input);
    let part = |source: &Source| ex.outputs.get(source).and_then(map).ok_or_else(|| no_row(block));
    let (f, x) = (part(&f)?, part(&x)?);
    let shape = f.dims().to_vec();
    let f_at = fetch.add(select(Features::Map(f.clone()), at));
    let x_at = fetch.add(select(Features::Map(x.clone()), at));
    let (body, shortcut, sum) = (fetch.add(f.clone()), fetch.add(x.clone()), fetch.add(f + x));
    let gradient = path_gradients(ex, block, input, fetch);
    let projection = !residual.shortcut.layers.is_empty();
    Ok(Box::new(move |fetched| {
        let (body, shortcut, sum) = (fetched.get(body), fetched.get(shortcut), fetched.get(sum));
        let rms = MapsRms::of(body, shortcut, sum);
        let gradient = gradient.map(|handles| handles.read(fetched));
        let how = ResidualSum::compute(projection, fetched.one(f_at), fetched.one(x_at), rms, gradient);
        let maps = ResidualMaps {
            shape,
            body: body.to_vec(),
            shortcut: shortcut.to_vec(),
            sum: sum.to_vec(),
        };
        (How::Residual(how), Some(maps))
    }))
}

/// Where a backward pass's numbers will be.
#[derive(Clone, Copy)]
struct GradientHandles {
    class: Handle,
    loss: Handle,
    body: Handle,
    shortcut: Handle,
    total: Handle,
}

impl GradientHandles {
    fn read(self, fetched: &Fetched) -> PathGradients {
        PathGradients {
            class: fetched.one(self.class) as usize,
            loss: fetched.one(self.loss),
            body: fetched.one(self.body),
            shortcut: fetched.one(self.shortcut),
            total: fetched.one(self.total),
        }
    }
}

/// A backward pass from the picture's cross-entropy to the residual block
/// at `block`, with x fed to its body and to its shortcut as two separate
/// leaves: the gradient each receives is that path's share of the
/// gradient the block passes back (their sum). `None` where the rest of
/// the net is not a plain sequence of layers.
fn path_gradients(
    ex: &Explainer,
    block: &[usize],
    input: &Source,
    fetch: &mut Fetch,
) -> Option<GradientHandles> {
    let net = ex.backward_net();
    let RowRef::Layer(LayerModule::Residual(residual)) = resolve(&net, block)?.row else {
        return None;
    };
    let x = map(ex.outputs.get(input)?)?.inner();
    let through_body = x.clone().autodiff().require_grad();
    let through_shortcut = x.autodiff().require_grad();
    let f = map(residual.body.forward(Features::Map(through_body.clone())))?;
    let shortcut = map(residual.shortcut.forward(Features::Map(through_shortcut.clone())))?;
    let logits = run_after(&net, block, Features::Map(relu(f + shortcut)))?;
    let class: Tensor<2, Int> = match ex.label {
        Some(label) => Tensor::from_data(TensorData::new(vec![label as i64], [1, 1]), &logits.device()),
        None => logits.clone().argmax(1),
    };
    let loss: Tensor<1> = log_softmax(logits, 1).gather(1, class.clone()).neg().reshape([1]);
    let grads = loss.backward();
    let body = through_body.grad(&grads)?;
    let shortcut = through_shortcut.grad(&grads)?;
    let norm = |g: Tensor<4>| g.square().sum().sqrt();
    Some(GradientHandles {
        class: fetch.add(class.float()),
        loss: fetch.add(loss),
        total: fetch.add(norm(body.clone() + shortcut.clone())),
        body: fetch.add(norm(body)),
        shortcut: fetch.add(norm(shortcut)),
    })
}
