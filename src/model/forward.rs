//! Running a net's modules, each element's output shown at its row path
//! when asked (`forward_watched`: the look inside, the gradient view).

use burn::tensor::Tensor;

use super::{Features, LayerModule, RowWatch, Sequential};

impl LayerModule {
    pub fn forward(&self, x: Features) -> Features {
        self.forward_watched(x, &mut vec![], &mut |_, _| {})
    }

    /// `forward`, showing `watch` the output of this element (at `path`) and
    /// of every element inside it, each at its row path in the shape table
    /// (`crate::shape`): a block's children are its inner layers; an
    /// Inception's, its paths; a residual block's, its body, then its
    /// shortcut, then the ReLU after the sum; a dense block's, its conv
    /// blocks (each one's own output, before the concatenation).
    pub fn forward_watched(&self, x: Features, path: &mut Vec<usize>, watch: &mut RowWatch) -> Features {
        match self {
            LayerModule::Conv2d(conv) => Features::Map(crate::kernels::conv2d(conv, x.map())),
            LayerModule::Linear(linear) => Features::Flat(crate::kernels::linear(linear, x.flat())),
            LayerModule::BatchNorm(bn) => match x {
                Features::Map(x) => Features::Map(crate::kernels::batch_norm(bn, x)),
                Features::Flat(x) => Features::Flat(crate::kernels::batch_norm(bn, x)),
            },
            LayerModule::Relu(relu) => match x {
                Features::Map(x) => Features::Map(relu.forward(x)),
                Features::Flat(x) => Features::Flat(relu.forward(x)),
            },
            LayerModule::Sigmoid(sigmoid) => match x {
                Features::Map(x) => Features::Map(crate::kernels::sigmoid(sigmoid, x)),
                Features::Flat(x) => Features::Flat(crate::kernels::sigmoid(sigmoid, x)),
            },
            LayerModule::Dropout(dropout) => match x {
                Features::Map(x) => Features::Map(dropout.forward(x)),
                Features::Flat(x) => Features::Flat(dropout.forward(x)),
            },
            LayerModule::MaxPool2d(pool) => Features::Map(crate::kernels::max_pool2d(pool, x.map())),
            LayerModule::AvgPool2d(pool) => Features::Map(crate::kernels::avg_pool2d(pool, x.map())),
            LayerModule::GlobalAvgPool2d(pool) => Features::Map(pool.forward(x.map())),
            LayerModule::Flatten(_) => match x {
                Features::Map(x) => Features::Flat(x.flatten(1, 3)),
                flat => flat,
            },
            LayerModule::Sequential(seq) => seq.forward_watched(x, path, 0, watch),
            LayerModule::Inception(inception) => {
                let x = x.map();
                let mut outputs = Vec::with_capacity(inception.paths.len());
                for (i, branch) in inception.paths.iter().enumerate() {
                    path.push(i);
                    let y = branch.forward_watched(Features::Map(x.clone()), path, 0, watch);
                    watch(path, &y);
                    path.pop();
                    outputs.push(y.map());
                }
                Features::Map(Tensor::cat(outputs, 1))
            }
            LayerModule::Residual(residual) => {
                let x = x.map();
                let y = residual
                    .body
                    .forward_watched(Features::Map(x.clone()), path, 0, watch);
                let offset = residual.body.layers.len();
                let shortcut = residual
                    .shortcut
                    .forward_watched(Features::Map(x), path, offset, watch);
                let sum = Features::Map(burn::tensor::activation::relu(y.map() + shortcut.map()));
                path.push(offset + residual.shortcut.layers.len());
                watch(path, &sum);
                path.pop();
                sum
            }
            LayerModule::DenseBlock(dense) => {
                let mut x = x.map();
                for (i, block) in dense.conv_blocks.iter().enumerate() {
                    path.push(i);
                    let y = block.forward_watched(Features::Map(x.clone()), path, 0, watch);
                    watch(path, &y);
                    path.pop();
                    // Concatenate the input and output of each block on the channel dimension
                    x = Tensor::cat(vec![x, y.map()], 1);
                }
                Features::Map(x)
            }
        }
    }
}

impl Sequential {
    pub fn forward(&self, x: Features) -> Features {
        self.layers.iter().fold(x, |x, layer| layer.forward(x))
    }

    /// `forward`, its elements numbered from `first` under `path`.
    fn forward_watched(
        &self,
        x: Features,
        path: &mut Vec<usize>,
        first: usize,
        watch: &mut RowWatch,
    ) -> Features {
        forward_list(&self.layers, x, path, first, watch)
    }
}

/// `layers` one after the other, each output shown to `watch` at `path`
/// followed by its number (counted from `first`).
pub(super) fn forward_list(
    layers: &[LayerModule],
    mut x: Features,
    path: &mut Vec<usize>,
    first: usize,
    watch: &mut RowWatch,
) -> Features {
    for (i, layer) in layers.iter().enumerate() {
        path.push(first + i);
        x = layer.forward_watched(x, path, watch);
        watch(path, &x);
        path.pop();
    }
    x
}
