//! A row by its path, with where its input comes from: the output of the
//! row before it, the block's own input, the concatenation a dense block
//! feeds a conv block, or the sum a residual block's ReLU takes. Row paths
//! are `Net::forward_watched`'s (and the shape table's).

use std::collections::HashMap;

use burn::tensor::Tensor;

use crate::model::{DenseBlock, Features, Inception, LayerModule, Net, Residual};

/// Where a row's input comes from, in terms of what the forward pass shows.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Source {
    /// The image itself.
    Image,
    /// The output of the row at this path.
    Output(Vec<usize>),
    /// These, concatenated on channels (a dense block's conv block).
    Concat(Vec<Source>),
    /// These two added (the ReLU after a residual block's sum).
    Sum(Box<Source>, Box<Source>),
}

/// Every row's output of one forward pass, by row path, and the image.
pub(super) struct Outputs {
    pub image: Tensor<4>,
    pub rows: HashMap<Vec<usize>, Features>,
}

impl Outputs {
    /// What `source` is in this pass; `None` when it names a row the pass
    /// did not show.
    pub fn get(&self, source: &Source) -> Option<Features> {
        match source {
            Source::Image => Some(Features::Map(self.image.clone())),
            Source::Output(path) => self.rows.get(path).cloned(),
            Source::Concat(parts) => {
                let maps: Option<Vec<Tensor<4>>> = parts.iter().map(|part| map(self.get(part)?)).collect();
                Some(Features::Map(Tensor::cat(maps?, 1)))
            }
            Source::Sum(a, b) => Some(Features::Map(map(self.get(a)?)? + map(self.get(b)?)?)),
        }
    }
}

/// The feature map in `features`, if it is one.
pub(super) fn map(features: Features) -> Option<Tensor<4>> {
    match features {
        Features::Map(x) => Some(x),
        Features::Flat(_) => None,
    }
}

/// A row: a layer or block of the description, one of the paths or conv
/// blocks inside a block (run like a sequence), or a residual block's last
/// ReLU (after its sum).
#[derive(Clone, Copy)]
pub(super) enum RowRef<'a> {
    Layer(&'a LayerModule),
    InceptionPath { index: usize, layers: &'a [LayerModule] },
    ConvBlock { index: usize, layers: &'a [LayerModule] },
    AfterSum(&'a Residual),
}

/// What lies inside a row, to go one step deeper.
enum Inside<'a> {
    /// Layers one after another (the net itself, a sequence, a path).
    List(&'a [LayerModule]),
    Paths(&'a Inception),
    Residual(&'a Residual),
    ConvBlocks(&'a DenseBlock),
}

/// A row found by its path, and its input.
pub(super) struct Resolved<'a> {
    pub row: RowRef<'a>,
    pub input: Source,
}

/// The row at `path` and where its input comes from.
pub(super) fn resolve<'a>(net: &'a Net, path: &[usize]) -> Option<Resolved<'a>> {
    let mut inside = Inside::List(&net.layers);
    let mut input = Source::Image;
    let mut prefix: Vec<usize> = vec![];
    for (depth, &i) in path.iter().enumerate() {
        let (row, row_input) = child(&inside, i, &prefix, &input)?;
        if depth + 1 == path.len() {
            return Some(Resolved {
                row,
                input: row_input,
            });
        }
        inside = inside_of(row)?;
        input = row_input;
        prefix.push(i);
    }
    None
}

/// The rows inside `row`, if it holds any.
fn inside_of(row: RowRef<'_>) -> Option<Inside<'_>> {
    match row {
        RowRef::Layer(LayerModule::Sequential(seq)) => Some(Inside::List(&seq.layers)),
        RowRef::Layer(LayerModule::Inception(inception)) => Some(Inside::Paths(inception)),
        RowRef::Layer(LayerModule::Residual(residual)) => Some(Inside::Residual(residual)),
        RowRef::Layer(LayerModule::DenseBlock(dense)) => Some(Inside::ConvBlocks(dense)),
        RowRef::InceptionPath { layers, .. } | RowRef::ConvBlock { layers, .. } => Some(Inside::List(layers)),
        RowRef::Layer(_) | RowRef::AfterSum(_) => None,
    }
}

/// Child `i` of a row at `prefix` whose input is `input`, and the child's input.
fn child<'a>(
    inside: &Inside<'a>,
    i: usize,
    prefix: &[usize],
    input: &Source,
) -> Option<(RowRef<'a>, Source)> {
    let at = |j: usize| Source::Output([prefix, &[j]].concat());
    // The first of a list reads the list's input; the others, the one before.
    let after = |first: usize| match i == first {
        true => input.clone(),
        false => at(i - 1),
    };
    match *inside {
        Inside::List(layers) => Some((RowRef::Layer(layers.get(i)?), after(0))),
        Inside::Paths(inception) => {
            let layers = &inception.paths.get(i)?.layers;
            Some((RowRef::InceptionPath { index: i, layers }, input.clone()))
        }
        Inside::Residual(residual) => {
            let (body, shortcut) = (residual.body.layers.len(), residual.shortcut.layers.len());
            match i {
                i if i < body => Some((RowRef::Layer(&residual.body.layers[i]), after(0))),
                i if i < body + shortcut => {
                    Some((RowRef::Layer(&residual.shortcut.layers[i - body]), after(body)))
                }
                i if i == body + shortcut => {
                    let (f, x) = residual_parts(residual, prefix, input);
                    Some((RowRef::AfterSum(residual), Source::Sum(Box::new(f), Box::new(x))))
                }
                _ => None,
            }
        }
        Inside::ConvBlocks(dense) => {
            let layers = &dense.conv_blocks.get(i)?.layers;
            let mut parts = vec![input.clone()];
            parts.extend((0..i).map(at));
            Some((RowRef::ConvBlock { index: i, layers }, Source::Concat(parts)))
        }
    }
}

/// Where a residual block (at `path`, its input `input`) has f(x) and the
/// shortcut's output: its body's last row, and its shortcut's last row or
/// the input itself.
pub(super) fn residual_parts(residual: &Residual, path: &[usize], input: &Source) -> (Source, Source) {
    let (body, shortcut) = (residual.body.layers.len(), residual.shortcut.layers.len());
    let at = |j: usize| Source::Output([path, &[j]].concat());
    let f = match body {
        0 => input.clone(),
        n => at(n - 1),
    };
    let x = match shortcut {
        0 => input.clone(),
        n => at(body + n - 1),
    };
    (f, x)
}

/// The logits, running the rest of the net from `output`, the output of
/// the row at `path`; `None` unless every block holding that row runs its
/// layers one after another (true of every residual block of ours).
pub(super) fn run_after(net: &Net, path: &[usize], output: Features) -> Option<Tensor<2>> {
    let mut x = output;
    for depth in (0..path.len()).rev() {
        let layers = match depth {
            0 => &net.layers[..],
            _ => match resolve(net, &path[..depth])?.row {
                RowRef::Layer(LayerModule::Sequential(seq)) => &seq.layers[..],
                _ => return None,
            },
        };
        for layer in layers.get(path[depth] + 1..)? {
            x = layer.forward(x);
        }
    }
    match x {
        Features::Flat(logits) => Some(logits),
        Features::Map(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, NetConfig};

    fn net(arch: Arch, side: usize) -> Net {
        Net::init(&NetConfig::default_for(arch), side, &crate::backend::cpu()).unwrap()
    }

    fn output(path: &[usize]) -> Source {
        Source::Output(path.to_vec())
    }

    #[test]
    fn a_rows_input_is_the_output_before_it_or_its_blocks() {
        let lenet = net(Arch::LeNet, 28);
        assert_eq!(resolve(&lenet, &[0]).unwrap().input, Source::Image);
        assert_eq!(resolve(&lenet, &[3]).unwrap().input, output(&[2]));
        assert!(resolve(&lenet, &[12]).is_none());
        assert!(resolve(&lenet, &[0, 0]).is_none(), "a convolution holds nothing");
        assert!(resolve(&lenet, &[]).is_none());

        // GoogLeNet: b3's first Inception, its third path, that path's second layer.
        let googlenet = net(Arch::GoogLeNet, 96);
        assert_eq!(resolve(&googlenet, &[2, 0]).unwrap().input, output(&[1]));
        let path = resolve(&googlenet, &[2, 0, 2]).unwrap();
        assert!(matches!(path.row, RowRef::InceptionPath { index: 2, .. }));
        assert_eq!(path.input, output(&[1]), "every path reads the block's input");
        assert_eq!(
            resolve(&googlenet, &[2, 0, 2, 1]).unwrap().input,
            output(&[2, 0, 2, 0])
        );
        assert_eq!(resolve(&googlenet, &[2, 1]).unwrap().input, output(&[2, 0]));
    }

    #[test]
    fn residual_and_dense_blocks_feed_their_rows_sums_and_concatenations() {
        // ResNet's b3 starts with a block whose shortcut is a 1×1 convolution.
        let resnet = net(Arch::ResNet, 96);
        let block = [2, 0];
        assert_eq!(resolve(&resnet, &[2, 0, 0]).unwrap().input, output(&[1]));
        assert_eq!(resolve(&resnet, &[2, 0, 4]).unwrap().input, output(&[2, 0, 3]));
        // The shortcut's convolution (after 5 body rows) reads the block's input.
        assert_eq!(resolve(&resnet, &[2, 0, 5]).unwrap().input, output(&[1]));
        let after = resolve(&resnet, &[2, 0, 6]).unwrap();
        assert!(matches!(after.row, RowRef::AfterSum(_)));
        let sum = Source::Sum(Box::new(output(&[2, 0, 4])), Box::new(output(&[2, 0, 5])));
        assert_eq!(after.input, sum);
        // b2's blocks add their input itself.
        let identity = resolve(&resnet, &[1, 1, 5]).unwrap();
        let sum = Source::Sum(Box::new(output(&[1, 1, 4])), Box::new(output(&[1, 0])));
        assert_eq!(identity.input, sum);
        assert!(resolve(&resnet, &block).is_some());

        let densenet = net(Arch::DenseNet, 96);
        let block = resolve(&densenet, &[1, 2]).unwrap();
        assert!(matches!(block.row, RowRef::ConvBlock { index: 2, .. }));
        let parts = vec![output(&[0]), output(&[1, 0]), output(&[1, 1])];
        assert_eq!(block.input, Source::Concat(parts));
    }

    #[test]
    fn the_rest_of_the_net_runs_from_a_rows_output() {
        let device = crate::backend::cpu();
        let resnet = net(Arch::ResNet, 32);
        let image = Tensor::<4>::ones([1, 1, 32, 32], &device);
        let mut seen = None;
        let logits = resnet.forward_watched(image, &mut |path, x| {
            if path == [2, 0] {
                seen = Some(x.clone());
            }
        });
        let again = run_after(&resnet, &[2, 0], seen.unwrap()).unwrap();
        let difference: f32 = (logits - again).abs().max().into_scalar::<f32>();
        assert!(difference < 1e-5, "{difference}");
        // Inside an Inception path, the rest is not a plain list.
        let googlenet = net(Arch::GoogLeNet, 96);
        let map = Features::Map(Tensor::zeros([1, 64, 12, 12], &device));
        assert!(run_after(&googlenet, &[2, 0, 0, 0], map).is_none());
    }
}
