//! The Burn module of a net, built from the same description as its shape
//! table.
//!
//! A net is a list of [`LayerModule`]s, one per element of the description.
//! Widths come from the shape pass (`crate::shape::layer_output`), as
//! PyTorch's lazy layers infer theirs on the first batch. The module knows no
//! backend: its tensors live on whichever `Device` it was made on (the CPU
//! backend, or wgpu), with autodiff when that device has it.
//!
//! Initialisation is the book's (`train_ch6`): Xavier-uniform weights for
//! every convolution and linear layer, zero biases.

use burn::module::{Module, ModuleVisitor, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{
    AdaptiveAvgPool2d, AdaptiveAvgPool2dConfig, AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig,
};
use burn::nn::{
    BatchNorm, BatchNormConfig, Dropout, DropoutConfig, Initializer, Linear, LinearConfig, PaddingConfig2d,
    Relu, Sigmoid,
};
use burn::tensor::{Device, Tensor};

use crate::arch::{INPUT_CHANNELS, Layer, NetConfig};
use crate::shape::{Shape, ShapeError, layer_output};

const XAVIER_UNIFORM: Initializer = Initializer::XavierUniform { gain: 1.0 };

/// What flows between layers: feature maps until a `Flatten`, vectors after.
#[derive(Clone, Debug)]
pub enum Features {
    Map(Tensor<4>),
    Flat(Tensor<2>),
}

impl Features {
    pub fn dims(&self) -> Shape {
        match self {
            Features::Map(x) => x.dims().to_vec(),
            Features::Flat(x) => x.dims().to_vec(),
        }
    }

    /// The same values, cut from the graph and tracked anew: the input of
    /// a layer measured on its own.
    pub fn detached(self, require_grad: bool) -> Features {
        match self {
            Features::Map(x) if require_grad => Features::Map(x.detach().require_grad()),
            Features::Map(x) => Features::Map(x.detach()),
            Features::Flat(x) if require_grad => Features::Flat(x.detach().require_grad()),
            Features::Flat(x) => Features::Flat(x.detach()),
        }
    }

    /// The first value, as a one-element tensor (still on the graph).
    pub fn first(self) -> Tensor<1> {
        self.head(1).narrow(0, 0, 1)
    }

    /// The values of the batch's first `n` examples (all, if fewer), flat.
    pub fn head(self, n: usize) -> Tensor<1> {
        match self {
            Features::Map(x) => {
                let n = n.min(x.dims()[0]);
                x.narrow(0, 0, n).flatten(0, 3)
            }
            Features::Flat(x) => {
                let n = n.min(x.dims()[0]);
                x.narrow(0, 0, n).flatten(0, 1)
            }
        }
    }

    fn map(self) -> Tensor<4> {
        match self {
            Features::Map(x) => x,
            // The shape pass rejects such a net before it is built.
            Features::Flat(x) => panic!("a layer needs a feature map but got {:?}", x.dims()),
        }
    }

    fn flat(self) -> Tensor<2> {
        match self {
            Features::Flat(x) => x,
            Features::Map(x) => panic!("a layer needs a flat input but got {:?}", x.dims()),
        }
    }
}

/// `nn.Flatten()`: everything after the batch axis in one.
#[derive(Module, Debug, Default)]
pub struct Flatten;

/// A list of layers run one after the other (`nn.Sequential`).
#[derive(Module, Debug)]
pub struct Sequential {
    pub layers: Vec<LayerModule>,
}

/// Paths on the same input, concatenated on channels (GoogLeNet).
#[derive(Module, Debug)]
pub struct Inception {
    pub paths: Vec<Sequential>,
}

/// `relu(body(x) + shortcut(x))` (ResNet).
#[derive(Module, Debug)]
pub struct Residual {
    pub body: Sequential,
    /// The identity when it has no layers.
    pub shortcut: Sequential,
}

/// Each conv block's output is appended to its input on channels (DenseNet).
#[derive(Module, Debug)]
pub struct DenseBlock {
    pub conv_blocks: Vec<Sequential>,
}

/// One element of a net.
#[derive(Module, Debug)]
pub enum LayerModule {
    Conv2d(Conv2d),
    Linear(Linear),
    BatchNorm(BatchNorm),
    Relu(Relu),
    Sigmoid(Sigmoid),
    MaxPool2d(MaxPool2d),
    AvgPool2d(AvgPool2d),
    GlobalAvgPool2d(AdaptiveAvgPool2d),
    Flatten(Flatten),
    Dropout(Dropout),
    Sequential(Sequential),
    Inception(Inception),
    Residual(Residual),
    DenseBlock(DenseBlock),
}

/// A whole net: its top-level elements, the rows of the book's table.
#[derive(Module, Debug)]
pub struct Net {
    pub layers: Vec<LayerModule>,
}

fn padding(p: usize) -> PaddingConfig2d {
    PaddingConfig2d::Explicit(p, p, p, p)
}

impl LayerModule {
    /// The module for `layer` on inputs of shape `input`, and its output shape.
    pub fn init(layer: &Layer, input: &[usize], device: &Device) -> Result<(LayerModule, Shape), ShapeError> {
        let output = layer_output(layer, input)?;
        let module = match layer {
            Layer::Conv2d {
                out_channels,
                kernel,
                stride,
                padding: p,
            } => {
                let mut conv = Conv2dConfig::new([input[1], *out_channels], [*kernel, *kernel])
                    .with_stride([*stride, *stride])
                    .with_padding(padding(*p))
                    .with_initializer(XAVIER_UNIFORM)
                    .init(device);
                conv.bias = Some(Initializer::Zeros.init([*out_channels], device));
                LayerModule::Conv2d(conv)
            }
            Layer::Linear { out_features } => {
                let mut linear = LinearConfig::new(input[1], *out_features)
                    .with_initializer(XAVIER_UNIFORM)
                    .init(device);
                linear.bias = Some(Initializer::Zeros.init([*out_features], device));
                LayerModule::Linear(linear)
            }
            // Burn's momentum is PyTorch's: the weight of the newest batch.
            Layer::BatchNorm { eps, momentum } => LayerModule::BatchNorm(
                BatchNormConfig::new(input[1])
                    .with_epsilon(*eps)
                    .with_momentum(*momentum)
                    .init(device),
            ),
            Layer::Relu => LayerModule::Relu(Relu::new()),
            Layer::Sigmoid => LayerModule::Sigmoid(Sigmoid::new()),
            Layer::MaxPool2d {
                kernel,
                stride,
                padding: p,
            } => LayerModule::MaxPool2d(
                MaxPool2dConfig::new([*kernel, *kernel])
                    .with_strides([*stride, *stride])
                    .with_padding(padding(*p))
                    .init(),
            ),
            Layer::AvgPool2d { kernel, stride } => LayerModule::AvgPool2d(
                AvgPool2dConfig::new([*kernel, *kernel])
                    .with_strides([*stride, *stride])
                    .init(),
            ),
            Layer::GlobalAvgPool2d => {
                LayerModule::GlobalAvgPool2d(AdaptiveAvgPool2dConfig::new([1, 1]).init())
            }
            Layer::Flatten => LayerModule::Flatten(Flatten),
            Layer::Dropout { prob } => LayerModule::Dropout(DropoutConfig::new(*prob).init()),
            Layer::Sequential { layers, .. } => {
                LayerModule::Sequential(Sequential::init(layers, input, device)?.0)
            }
            Layer::Inception { paths } => LayerModule::Inception(Inception {
                paths: paths
                    .iter()
                    .map(|path| Ok(Sequential::init(path, input, device)?.0))
                    .collect::<Result<_, ShapeError>>()?,
            }),
            Layer::Residual { body, shortcut } => LayerModule::Residual(Residual {
                body: Sequential::init(body, input, device)?.0,
                shortcut: Sequential::init(shortcut, input, device)?.0,
            }),
            Layer::DenseBlock { conv_blocks } => {
                let mut shape = input.to_vec();
                let mut blocks = Vec::with_capacity(conv_blocks.len());
                for layers in conv_blocks {
                    let (block, block_output) = Sequential::init(layers, &shape, device)?;
                    shape[1] += block_output[1];
                    blocks.push(block);
                }
                LayerModule::DenseBlock(DenseBlock { conv_blocks: blocks })
            }
        };
        Ok((module, output))
    }

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
                Features::Map(x) => Features::Map(bn.forward(x)),
                Features::Flat(x) => Features::Flat(bn.forward(x)),
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
            LayerModule::MaxPool2d(pool) => Features::Map(pool.forward(x.map())),
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

    /// The element at `path` below this one (this one when `path` is empty),
    /// as `forward_watched` numbers them.
    pub fn at(&self, path: &[usize]) -> Option<&LayerModule> {
        let Some((&first, rest)) = path.split_first() else {
            return Some(self);
        };
        match self {
            LayerModule::Sequential(seq) => seq.layers.get(first)?.at(rest),
            LayerModule::Inception(inception) => match rest.split_first() {
                None => None,
                Some((&i, rest)) => inception.paths.get(first)?.layers.get(i)?.at(rest),
            },
            LayerModule::Residual(residual) => {
                let body = residual.body.layers.len();
                let layer = match first < body {
                    true => residual.body.layers.get(first),
                    false => residual.shortcut.layers.get(first - body),
                };
                layer?.at(rest)
            }
            LayerModule::DenseBlock(dense) => match rest.split_first() {
                None => None,
                Some((&i, rest)) => dense.conv_blocks.get(first)?.layers.get(i)?.at(rest),
            },
            _ => None,
        }
    }
}

/// What `forward_watched` shows each output to: its row path and the output.
pub type RowWatch<'a> = dyn FnMut(&[usize], &Features) + 'a;

impl Sequential {
    /// The modules for `layers` on inputs of shape `input`, and their output shape.
    fn init(layers: &[Layer], input: &[usize], device: &Device) -> Result<(Sequential, Shape), ShapeError> {
        let mut shape = input.to_vec();
        let mut modules = Vec::with_capacity(layers.len());
        for layer in layers {
            let (module, output) = LayerModule::init(layer, &shape, device)?;
            modules.push(module);
            shape = output;
        }
        Ok((Sequential { layers: modules }, shape))
    }

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
fn forward_list(
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

/// `layers` and everything inside them, numbered from `first` under `path`
/// (`Net::visit_rows`).
fn visit_list(
    layers: &[LayerModule],
    path: &mut Vec<usize>,
    first: usize,
    visit: &mut impl FnMut(&[usize], &LayerModule),
) {
    for (i, layer) in layers.iter().enumerate() {
        path.push(first + i);
        visit(path, layer);
        match layer {
            LayerModule::Sequential(seq) => visit_list(&seq.layers, path, 0, visit),
            LayerModule::Inception(inception) => {
                for (i, branch) in inception.paths.iter().enumerate() {
                    path.push(i);
                    visit_list(&branch.layers, path, 0, visit);
                    path.pop();
                }
            }
            LayerModule::Residual(residual) => {
                visit_list(&residual.body.layers, path, 0, visit);
                visit_list(&residual.shortcut.layers, path, residual.body.layers.len(), visit);
            }
            LayerModule::DenseBlock(dense) => {
                for (i, block) in dense.conv_blocks.iter().enumerate() {
                    path.push(i);
                    visit_list(&block.layers, path, 0, visit);
                    path.pop();
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// Counts parameters as PyTorch's `net.parameters()` does: Burn visits batch
/// norm's running statistics like parameters, but they are buffers.
#[derive(Default)]
struct TrainableCounter {
    path: Vec<String>,
    count: usize,
}

impl ModuleVisitor for TrainableCounter {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let is_buffer = self.path.last().is_some_and(|name| name.starts_with("running_"));
        if !is_buffer {
            self.count += param.lazy_shape().num_elements();
        }
    }
}

impl Net {
    /// Weights and biases, batch norm's scale and shift; not its running
    /// statistics. What PyTorch counts, and what the shape table says.
    pub fn num_trainable_params(&self) -> usize {
        let mut counter = TrainableCounter::default();
        self.visit(&mut counter);
        counter.count
    }

    /// The net described by `config`, for square inputs of side `input_side`.
    pub fn init(config: &NetConfig, input_side: usize, device: &Device) -> Result<Net, ShapeError> {
        let input = [1, INPUT_CHANNELS, input_side, input_side];
        let (Sequential { layers }, _) = Sequential::init(&config.layers(), &input, device)?;
        Ok(Net { layers })
    }

    /// The logits `[N, classes]` for images `[N, 1, H, W]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.layers
            .iter()
            .fold(Features::Map(images), |x, layer| layer.forward(x))
            .flat()
    }

    /// The logits, showing `watch` every element's output at its row path
    /// (`LayerModule::forward_watched`): `[2]` is the third row of the shape
    /// table, `[2, 0]` the first layer inside it.
    pub fn forward_watched(&self, images: Tensor<4>, watch: &mut RowWatch) -> Tensor<2> {
        forward_list(&self.layers, Features::Map(images), &mut vec![], 0, watch).flat()
    }

    /// Shows `visit` every element, in the order the forward pass runs
    /// them, each at its row path (as `forward_watched` and `at` number them).
    pub fn visit_rows(&self, visit: &mut impl FnMut(&[usize], &LayerModule)) {
        visit_list(&self.layers, &mut vec![], 0, visit);
    }

    /// The element at row path `path`, when there is one.
    pub fn at(&self, path: &[usize]) -> Option<&LayerModule> {
        let (&first, rest) = path.split_first()?;
        self.layers.get(first)?.at(rest)
    }

    /// The output of every top-level element, as the book's printing loop
    /// sees them (`for layer in net: X = layer(X)`).
    pub fn forward_each(&self, images: Tensor<4>) -> Vec<Features> {
        let mut outputs = Vec::with_capacity(self.layers.len());
        let mut x = Features::Map(images);
        for layer in &self.layers {
            x = layer.forward(x);
            outputs.push(x.clone());
        }
        outputs
    }
}
