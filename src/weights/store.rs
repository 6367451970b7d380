//! The weights as a safetensors file, through Burn's store: written with
//! the book's PyTorch names and layouts, read back checked tensor by
//! tensor (the part of `weights` that touches tensors: the `train`
//! feature's).

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::store::{
    BurnToPyTorchAdapter, KeyRemapper, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore,
};
use burn::tensor::{Device, Tensor, TensorData};
use safetensors::{Dtype, SafeTensors};

use super::{About, FORMAT_VERSION, MetadataProblem, NetName, WeightsError};
use crate::arch::{MAX_INPUT_SIDE, NetConfig, edit};
use crate::model::Net;
use crate::shape::ShapeTable;

/// The metadata's keys (values are JSON).
const KEY_VERSION: &str = "cnnp.format_version";
const KEY_ABOUT: &str = "cnnp.about";

/// The book's PyTorch name of a tensor, from its path in our module tree
/// (Burn's, enum variants left out): `layers.` steps are `nn.Sequential`
/// indices; Inception's paths, a residual block's body and shortcut, and a
/// dense block's conv blocks take the names the book's classes give them.
pub fn torch_name(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let mut name: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        let at = |k: usize| parts.get(i + k).copied().unwrap_or("");
        match parts[i] {
            // A list of layers: its index is nn.Sequential's.
            "layers" => i += 1,
            // paths.P.layers.K: Inception's p1_1 … p4_2.
            "paths" => {
                let layer = match (at(1), at(3)) {
                    ("0", "0") => "p1_1".to_string(),
                    ("1", "0") => "p2_1".to_string(),
                    ("1", "2") => "p2_2".to_string(),
                    ("2", "0") => "p3_1".to_string(),
                    ("2", "2") => "p3_2".to_string(),
                    ("3", "1") => "p4_2".to_string(),
                    (p, k) => format!("path{p}_{k}"),
                };
                name.push(layer);
                i += 4;
            }
            // body.layers.K: Residual's conv1, bn1, (ReLU), conv2, bn2.
            "body" => {
                let layer = match at(2) {
                    "0" => "conv1".to_string(),
                    "1" => "bn1".to_string(),
                    "3" => "conv2".to_string(),
                    "4" => "bn2".to_string(),
                    k => format!("body{k}"),
                };
                name.push(layer);
                i += 3;
            }
            // shortcut.layers.0: the 1×1 convolution, conv3.
            "shortcut" => {
                name.push("conv3".to_string());
                i += 3;
            }
            // conv_blocks.J: DenseBlock's `self.net`, an nn.Sequential of them.
            "conv_blocks" => {
                name.push("net".to_string());
                name.push(at(1).to_string());
                i += 2;
            }
            // Batch norm's scale and shift are PyTorch's weight and bias.
            other => {
                let param = match other {
                    "gamma" => "weight",
                    "beta" => "bias",
                    other => other,
                };
                name.push(param.to_string());
                i += 1;
            }
        }
    }
    name.join(".")
}

/// Every tensor of `model` as the store writes it (PyTorch's layout):
/// its path in our tree, its PyTorch name and shape.
fn tensors(model: &Net) -> Vec<(String, String, Vec<usize>)> {
    model
        .collect(None, Some(Box::new(BurnToPyTorchAdapter)), true)
        .into_iter()
        .map(|tensor| {
            let torch = torch_name(&tensor.name);
            (tensor.name, torch, tensor.shape.to_vec())
        })
        .collect()
}

/// Escapes a tensor name (letters, digits, `_` and `.`) for a regex.
fn exact(name: &str) -> String {
    format!("^{}$", name.replace('.', r"\."))
}

fn store_error(e: impl std::fmt::Display) -> WeightsError {
    WeightsError::Store(e.to_string())
}

/// The safetensors bytes of `model`, with `about` in the metadata.
pub fn to_bytes(model: &Net, about: &About) -> Result<Vec<u8>, WeightsError> {
    // Batch norm's running statistics take their last update when the
    // module is made valid (`RunningState::sync`); visited before that,
    // they would be one step old.
    let model = &model.valid();
    let mut remapper = KeyRemapper::new();
    for (path, torch, _) in tensors(model) {
        remapper = remapper.add_pattern(exact(&path), torch).map_err(store_error)?;
    }
    let about_json = serde_json::to_string(about).expect("About serialises");
    let mut store = SafetensorsStore::from_bytes(None)
        .with_to_adapter(BurnToPyTorchAdapter)
        .skip_enum_variants(true)
        .remap(remapper)
        .metadata(KEY_VERSION, FORMAT_VERSION.to_string())
        .metadata(KEY_ABOUT, about_json);
    model.save_into(&mut store).map_err(store_error)?;
    store.get_bytes().map_err(store_error)
}

/// Every float tensor of a module, flattened, in visiting order.
#[derive(Default)]
struct Flatten {
    tensors: Vec<Tensor<1>>,
}

impl ModuleVisitor for Flatten {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.tensors.push(param.val().flatten::<1>(0, D - 1));
    }
}

/// Fills a module's float tensors from `values`, in visiting order.
struct Fill {
    values: Vec<f32>,
    at: usize,
}

impl ModuleMapper for Fill {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        param.map(|tensor| {
            let shape = tensor.shape();
            let n = shape.num_elements();
            let values = self.values[self.at..self.at + n].to_vec();
            self.at += n;
            Tensor::from_data(TensorData::new(values, shape), &tensor.device())
        })
    }
}

/// A copy of `model` (the net `net` at `resize`) on the CPU backend, its
/// tensors read without blocking: Burn's store reads tensors synchronously,
/// which WebGPU in the browser cannot do. One read for all of them.
pub async fn to_cpu(model: &Net, net: &NetConfig, resize: usize) -> Result<Net, WeightsError> {
    let mut flatten = Flatten::default();
    model.valid().visit(&mut flatten);
    let values = match flatten.tensors.is_empty() {
        true => vec![],
        false => Tensor::cat(flatten.tensors, 0)
            .into_data_async()
            .await
            .map_err(|e| store_error(format!("{e:?}")))?
            .try_to_vec::<f32>()
            .map_err(|e| store_error(format!("{e:?}")))?,
    };
    let fresh = Net::init(net, resize, &crate::backend::cpu())?;
    Ok(fresh.map(&mut Fill { values, at: 0 }))
}

/// The weights' bytes of a net built whatever the file's size, to match
/// its tensors to the file's: ResNet-18's 45 MB is, AlexNet's 187 MB only
/// for a file that big.
const BUILT_FOR_ANY_FILE: u64 = 64 << 20;

/// What the file says of itself: `None` for a file without our metadata
/// (one saved from PyTorch), an error for one that is not safetensors.
pub fn read_about(bytes: &[u8]) -> Result<Option<About>, WeightsError> {
    let (_, metadata) =
        SafeTensors::read_metadata(bytes).map_err(|e| WeightsError::NotSafetensors(e.to_string()))?;
    let fields: HashMap<String, String> = metadata.metadata().clone().unwrap_or_default();
    match (fields.get(KEY_VERSION), fields.get(KEY_ABOUT)) {
        (Some(version), Some(about)) => {
            let version: u32 = version
                .parse()
                .map_err(|_| WeightsError::Metadata(MetadataProblem::Version(version.clone())))?;
            if version > FORMAT_VERSION {
                return Err(WeightsError::Metadata(MetadataProblem::NewerVersion {
                    version,
                    max: FORMAT_VERSION,
                }));
            }
            let about: About = serde_json::from_str(about)
                .map_err(|e| WeightsError::Metadata(MetadataProblem::Json(e.to_string())))?;
            // The net it names is built from it: refuse one the editor
            // could not make (a hostile file's billion channels).
            edit::check(&about.net).map_err(|e| WeightsError::Metadata(MetadataProblem::Net(e)))?;
            if !(1..=MAX_INPUT_SIDE).contains(&about.resize) {
                return Err(WeightsError::Metadata(MetadataProblem::InputSize {
                    resize: about.resize,
                    max: MAX_INPUT_SIDE,
                }));
            }
            Ok(Some(about))
        }
        _ => Ok(None),
    }
}

/// A net described by `net` at input side `resize`, on `device`, with the
/// weights in `bytes`: checked tensor by tensor before any is applied, so
/// a bad file loads nothing. A file that names another net is refused.
pub fn from_bytes(
    bytes: &[u8],
    net: &NetConfig,
    resize: usize,
    device: &Device,
) -> Result<(Net, Option<About>), WeightsError> {
    let about = read_about(bytes)?;
    // Edits that keep every tensor's shape (LeNet with ReLU and max
    // pooling) would load silently into the wrong net: the whole
    // description must match, not only the kind of net.
    if let Some(about) = &about
        && about.net != *net
    {
        return Err(WeightsError::WrongNet {
            found: NetName::of(&about.net),
            expected: NetName::of(net),
        });
    }
    let file = SafeTensors::deserialize(bytes).map_err(|e| WeightsError::NotSafetensors(e.to_string()))?;
    // The net is allocated before its tensors are matched to the file's
    // (which names the tensor that differs): a big net is built only for a
    // file that could hold it, so a few bytes naming a huge net cost
    // nothing.
    let table = ShapeTable::of(net, 1, resize)?;
    let needs = table.total_params.saturating_mul(size_of::<f32>() as u64);
    if needs > bytes.len() as u64 && needs > BUILT_FOR_ANY_FILE {
        return Err(WeightsError::TooSmall {
            net: NetName::of(net),
            needs,
            bytes: bytes.len(),
        });
    }
    let mut model = Net::init(net, resize, device)?;
    let expected = tensors(&model);
    let mut remapper = KeyRemapper::new();
    for (path, torch, shape) in &expected {
        let tensor = file.tensor(torch).map_err(|_| WeightsError::Missing {
            name: torch.clone(),
            expected: net.arch(),
        })?;
        if tensor.dtype() != Dtype::F32 {
            return Err(WeightsError::Dtype {
                name: torch.clone(),
                dtype: format!("{:?}", tensor.dtype()),
            });
        }
        if tensor.shape() != shape.as_slice() {
            return Err(WeightsError::WrongShape {
                name: torch.clone(),
                expected: shape.clone(),
                found: tensor.shape().to_vec(),
            });
        }
        remapper = remapper
            .add_pattern(exact(torch), path.as_str())
            .map_err(store_error)?;
    }
    let mut store = SafetensorsStore::from_bytes(Some(bytes.to_vec()))
        .with_from_adapter(PyTorchToBurnAdapter)
        .skip_enum_variants(true)
        .remap(remapper)
        .allow_partial(false)
        .validate(true);
    model.load_from(&mut store).map_err(store_error)?;
    Ok((model, about))
}
