//! One forward pass with every row's output kept, and the explanation of
//! any value of any row from it: what the row reads is gathered (`Fetch`),
//! read back in one wait, and put together as the row's arithmetic.

use std::collections::HashMap;

use burn::module::Module;
use burn::tensor::Tensor;

use super::fetch::{Fetch, Fetched, Handle};
use super::read_blocks;
use super::read_layers::{self, PoolSpec};
use super::rows::{Outputs, RowRef, Source, map, resolve};
use super::{ElementKind, ExplainError, ExplainMode, Explained, Explanation, How, PoolKind, Position};
use super::{ResidualMaps, SequenceKind};
use crate::model::{Features, LayerModule, Net};

/// Puts an explanation together once its numbers are read.
pub(super) type Build = Box<dyn FnOnce(&Fetched) -> (How, Option<ResidualMaps>)>;

/// A `Build` for a row without bulk data.
pub(super) fn plain(build: impl FnOnce(&Fetched) -> How + 'static) -> Build {
    Box::new(move |fetched| (build(fetched), None))
}

/// The value at `at` of one image's features, as a one-value tensor.
pub(super) fn select(features: Features, at: Position) -> Tensor<1> {
    let Position { channel, y, x } = at;
    match features {
        Features::Map(map) => map
            .slice([0..1, channel..channel + 1, y..y + 1, x..x + 1])
            .reshape([1]),
        Features::Flat(flat) => flat.slice([0..1, channel..channel + 1]).reshape([1]),
    }
}

/// One forward pass of a net on one image, every row's output kept: any
/// value of any row can be explained from it.
pub struct Explainer {
    /// The net as given (its weights), for a backward pass of its own.
    model: Net,
    /// The net as it runs in `mode`: a copy, so that training mode's batch
    /// norm does not move the given net's running statistics.
    pub(super) net: Net,
    pub(super) mode: ExplainMode,
    pub(super) outputs: Outputs,
    /// The image's label (the class a backward pass's loss is taken
    /// against); the predicted class when `None`.
    pub(super) label: Option<usize>,
}

/// An explanation planned: what it reads, and how it is put together.
pub(super) struct Planned {
    layer: Vec<usize>,
    at: Position,
    mode: ExplainMode,
    input: Vec<usize>,
    output: Vec<usize>,
    value: Handle,
    build: Build,
}

impl Planned {
    pub fn finish(self, fetched: &Fetched) -> Explained {
        let (how, maps) = (self.build)(fetched);
        let explanation = Explanation {
            layer: self.layer,
            at: self.at,
            mode: self.mode,
            input: self.input,
            output: self.output,
            value: fetched.one(self.value),
            how,
        };
        Explained { explanation, maps }
    }
}

impl Explainer {
    /// Runs `model` on `image` (`[1, 1, S, S]`) in `mode`, keeping every
    /// row's output.
    pub fn new(model: &Net, image: Tensor<4>, mode: ExplainMode, label: Option<usize>) -> Explainer {
        let (net, image) = match mode {
            ExplainMode::Eval => (model.valid(), image.inner()),
            // Autodiff on, as in a training step: batch norm then uses the
            // batch's statistics and dropout drops.
            ExplainMode::Train => (model.valid().train(), image.inner().autodiff()),
        };
        let mut rows = HashMap::new();
        net.forward_watched(image.clone(), &mut |path, features| {
            rows.insert(path.to_vec(), features.clone());
        });
        Explainer {
            model: model.clone(),
            net,
            mode,
            outputs: Outputs { image, rows },
            label,
        }
    }

    /// The arithmetic behind the value at `at` of the row at `layer`.
    pub async fn explain(
        &self,
        layer: &[usize],
        at: Position,
        backend: &str,
    ) -> Result<Explained, ExplainError> {
        let mut fetch = Fetch::default();
        let planned = self.plan(layer, at, &mut fetch)?;
        let fetched = fetch
            .read(backend)
            .await
            .map_err(|problem| ExplainError::Device { problem })?;
        Ok(planned.finish(&fetched))
    }

    /// The net to take a backward pass through, in this explainer's mode:
    /// a fresh copy on an autodiff device, its weights frozen (and in
    /// evaluation mode, its batch norm and dropout as they evaluate).
    pub(super) fn backward_net(&self) -> Net {
        match self.mode {
            ExplainMode::Eval => self.model.valid().train().freeze(),
            ExplainMode::Train => self.model.valid().train(),
        }
    }

    /// The dims `source` has in this pass.
    pub(super) fn dims(&self, source: &Source) -> Option<Vec<usize>> {
        match source {
            Source::Image => Some(self.outputs.image.dims().to_vec()),
            Source::Output(path) => Some(self.outputs.rows.get(path)?.dims()),
            Source::Concat(parts) => {
                let mut dims = self.dims(parts.first()?)?;
                dims[1] = parts
                    .iter()
                    .map(|part| Some(self.dims(part)?[1]))
                    .sum::<Option<usize>>()?;
                Some(dims)
            }
            Source::Sum(a, _) => self.dims(a),
        }
    }

    /// What explaining the value at `at` of the row at `layer` reads, and
    /// how it is put together.
    pub(super) fn plan(
        &self,
        layer: &[usize],
        at: Position,
        fetch: &mut Fetch,
    ) -> Result<Planned, ExplainError> {
        let no_row = || ExplainError::NoRow { row: layer.to_vec() };
        let resolved = resolve(&self.net, layer).ok_or_else(no_row)?;
        let output = self.outputs.rows.get(layer).cloned().ok_or_else(no_row)?;
        let input = self.outputs.get(&resolved.input).ok_or_else(no_row)?;
        let (input_dims, output_dims) = (input.dims(), output.dims());
        if at.index(&output_dims).is_none() {
            return Err(ExplainError::Outside {
                at,
                shape: output_dims,
            });
        }
        let value = fetch.add(select(output, at));
        let asked = Asked {
            layer,
            source: &resolved.input,
            input,
            out: &output_dims,
            value,
            at,
        };
        let build = self.row(resolved.row, asked, fetch)?;
        Ok(Planned {
            layer: layer.to_vec(),
            at,
            mode: self.mode,
            input: input_dims,
            output: output_dims,
            value,
            build,
        })
    }

    /// The plan for one row, by its kind.
    fn row(&self, row: RowRef, asked: Asked, fetch: &mut Fetch) -> Result<Build, ExplainError> {
        let (layer, at) = (asked.layer, asked.at);
        match row {
            RowRef::Layer(module) => self.layer_row(module, asked, fetch),
            RowRef::InceptionPath { index, layers } => {
                let kind = SequenceKind::Path { index };
                read_blocks::sequence(self, layer, kind, layers.len(), at, fetch)
            }
            RowRef::ConvBlock { index, layers } => {
                let kind = SequenceKind::ConvBlock { index };
                read_blocks::sequence(self, layer, kind, layers.len(), at, fetch)
            }
            RowRef::AfterSum(residual) => {
                let block = &layer[..layer.len() - 1];
                let no_row = || ExplainError::NoRow { row: layer.to_vec() };
                let block_input = resolve(&self.net, block).ok_or_else(no_row)?.input;
                read_blocks::residual(self, block, residual, &block_input, at, fetch)
            }
        }
    }

    /// The plan for a row that is a layer or block of the description.
    fn layer_row(
        &self,
        module: &LayerModule,
        asked: Asked,
        fetch: &mut Fetch,
    ) -> Result<Build, ExplainError> {
        let Asked {
            layer,
            source,
            input,
            out,
            value,
            at,
        } = asked;
        let no_row = || ExplainError::NoRow { row: layer.to_vec() };
        let mode = self.mode;
        let element =
            |kind, fetch: &mut Fetch| read_layers::elementwise(kind, input.clone(), value, at, mode, fetch);
        Ok(match module {
            LayerModule::Conv2d(conv) => {
                let input = map(input).ok_or_else(no_row)?;
                read_layers::conv(conv, input, out, at, fetch)
            }
            LayerModule::Linear(linear) => match input {
                Features::Flat(flat) => read_layers::dense(linear, flat, at, fetch),
                Features::Map(_) => return Err(no_row()),
            },
            LayerModule::BatchNorm(bn) => read_layers::batch_norm(bn, input, at, mode, fetch),
            LayerModule::Relu(_) => element(ElementKind::Relu, fetch),
            LayerModule::Sigmoid(_) => element(ElementKind::Sigmoid, fetch),
            LayerModule::Dropout(dropout) => element(ElementKind::Dropout { prob: dropout.prob }, fetch),
            LayerModule::Flatten(_) => read_layers::flatten(input, at, fetch),
            LayerModule::Sequential(seq) => {
                read_blocks::sequence(self, layer, SequenceKind::Block, seq.layers.len(), at, fetch)?
            }
            LayerModule::Inception(inception) => read_blocks::inception(self, layer, inception, at, fetch)?,
            LayerModule::DenseBlock(dense) => {
                read_blocks::dense_block(self, layer, source, dense, at, fetch)?
            }
            LayerModule::Residual(residual) => {
                read_blocks::residual(self, layer, residual, source, at, fetch)?
            }
            LayerModule::MaxPool2d(_) | LayerModule::AvgPool2d(_) | LayerModule::GlobalAvgPool2d(_) => {
                let spec = pool_spec(module).ok_or_else(no_row)?;
                read_layers::pool(spec, map(input).ok_or_else(no_row)?, out, at, fetch)
            }
        })
    }
}

/// What a row's plan works from: the row, its input (and where that
/// comes from), its output's shape, where its value is, and where.
struct Asked<'a> {
    layer: &'a [usize],
    source: &'a Source,
    input: Features,
    out: &'a [usize],
    value: Handle,
    at: Position,
}

/// A pooling layer's window, if `module` is one.
fn pool_spec(module: &LayerModule) -> Option<PoolSpec> {
    let (kind, kernel, stride, padding) = match module {
        LayerModule::MaxPool2d(pool) => (PoolKind::Max, pool.kernel_size, pool.stride[0], &pool.padding),
        LayerModule::AvgPool2d(pool) => (PoolKind::Avg, pool.kernel_size, pool.stride[0], &pool.padding),
        LayerModule::GlobalAvgPool2d(_) => {
            return Some(PoolSpec {
                kind: PoolKind::GlobalAvg,
                kernel: [0, 0],
                stride: 1,
                padding: 0,
            });
        }
        _ => return None,
    };
    Some(PoolSpec {
        kind,
        kernel,
        stride,
        padding: read_layers::padding_of(padding),
    })
}

/// The arithmetic behind the value at `at` of the row at `layer`, for
/// `model` on `image` (`[1, 1, S, S]`, its class `label` when known) in
/// `mode`, from one forward pass.
pub async fn explain(
    model: &Net,
    image: Tensor<4>,
    label: Option<usize>,
    layer: &[usize],
    at: Position,
    mode: ExplainMode,
    backend: &str,
) -> Result<Explained, ExplainError> {
    Explainer::new(model, image, mode, label)
        .explain(layer, at, backend)
        .await
}
