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

//!
//! Its rooms: `build` (the modules from the description, initialised as
//! the book does), `forward` (running them, each output shown at its row
//! path when asked), `rows` (finding a row's module by its path).

mod build;
mod forward;
mod rows;

use forward::forward_list;
use rows::visit_list;

use burn::module::{Module, ModuleVisitor, Param};
use burn::nn::conv::Conv2d;
use burn::nn::pool::{AdaptiveAvgPool2d, AvgPool2d, MaxPool2d};
use burn::nn::{BatchNorm, Dropout, Linear, Relu, Sigmoid};
use burn::tensor::{Device, Tensor};

use crate::arch::NetConfig;
use crate::shape::{Shape, ShapeError};

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

/// What `forward_watched` shows each output to: its row path and the output.
pub type RowWatch<'a> = dyn FnMut(&[usize], &Features) + 'a;

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
        let input = config.input_shape(1, input_side);
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
