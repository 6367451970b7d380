//! Weights files: safetensors, written and read by Burn's store
//! (`burn::store::SafetensorsStore`), with the tensor names and layouts of
//! the book's PyTorch `state_dict` — `0.weight`, `1.0.conv1.weight`,
//! `3.0.p2_2.bias`, `1.net.0.0.running_mean` — so that
//! `net.load_state_dict(safetensors.torch.load_file(F))` loads our file
//! into the book's own net, and a file saved from it loads here. The
//! metadata says which net, at which input size, trained how, to what.
//!
//! What a file says of itself and why one is refused are plain data here,
//! for the page as for the worker; reading and writing the tensors
//! (`store`) needs Burn.

#[cfg(feature = "train")]
mod store;

use serde::{Deserialize, Serialize};

use crate::arch::edit::{self, EditError};
use crate::arch::{Arch, NetConfig, NetTitle};
use crate::shape::ShapeError;
use crate::training::{EpochReport, TrainConfig};

#[cfg(feature = "train")]
pub use store::{from_bytes, read_about, to_bytes, to_cpu, torch_name};

/// The version of what the metadata holds.
pub const FORMAT_VERSION: u32 = 1;

/// What a weights file says of itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct About {
    pub net: NetConfig,
    /// Side of the (square) input the net was built for.
    pub resize: usize,
    /// A line for people: "LeNet (d2l §6.6), 28×28, trained 10 epochs" (in
    /// English, as the file keeps it; [`About::line`] says it in either
    /// language).
    pub description: String,
    /// What the weights have been through (files written before it was
    /// kept have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<WeightsState>,
    /// How it was trained, when it was.
    pub training: Option<TrainConfig>,
    /// Where training got to, when it was trained.
    pub results: Option<Results>,
    /// The names of the classes the net scores, in label order, when it
    /// was trained on data other than Fashion-MNIST (PyTorch, which reads
    /// the tensors only, ignores them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_names: Vec<String>,
}

/// The last epoch's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub epochs: usize,
    pub loss: f64,
    pub train_acc: f64,
    pub test_acc: f64,
}

impl Results {
    /// The figures of `report`, a run's last epoch.
    pub fn of(report: &EpochReport) -> Results {
        Results {
            epochs: report.epoch,
            loss: report.loss,
            train_acc: report.train_acc,
            test_acc: report.test_acc,
        }
    }
}

/// What a net's weights have been through: "untrained", "trained 3 epochs".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WeightsState {
    Untrained,
    Trained {
        epochs: usize,
    },
    /// Saved while a run went on, at step `step` of `steps` of epoch `epoch`.
    During {
        epoch: usize,
        step: usize,
        steps: usize,
    },
    /// A run stopped before its first epoch ended.
    StoppedBeforeFirstEpoch,
    /// Read from a file of this name (without metadata of its own).
    LoadedFrom {
        name: String,
    },
}

/// A file's line for people, typed: "LeNet (d2l §6.6), 28×28, trained 10
/// epochs"; "LeNet（d2l §6.6），28×28，已训练 10 轮".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AboutLine {
    pub title: NetTitle,
    pub arch: Arch,
    pub resize: usize,
    pub state: WeightsState,
}

impl About {
    /// What a file of `config`'s net says of itself: `state` (untrained,
    /// `trained(3)`) and, once it has trained, how and to what.
    pub fn of_run(config: &TrainConfig, results: Option<Results>, state: WeightsState) -> About {
        let line = AboutLine {
            title: config.net.title(),
            arch: config.net.arch(),
            resize: config.resize,
            state: state.clone(),
        };
        About {
            net: config.net.clone(),
            resize: config.resize,
            description: line.to_string(),
            state: Some(state),
            training: results.is_some().then(|| config.clone()),
            results,
            class_names: vec![],
        }
    }

    /// `self`, naming the classes of the data it was trained on.
    pub fn with_class_names(self, class_names: &[String]) -> About {
        About {
            class_names: class_names.to_vec(),
            ..self
        }
    }

    /// The file's line for people in either language, when the file says
    /// what its weights have been through (else its `description`).
    pub fn line(&self) -> Option<AboutLine> {
        Some(AboutLine {
            title: self.net.title(),
            arch: self.net.arch(),
            resize: self.resize,
            state: self.state.clone()?,
        })
    }
}

/// "trained 1 epoch", "trained 10 epochs".
pub fn trained(epochs: usize) -> WeightsState {
    WeightsState::Trained { epochs }
}

/// A net as a message names it, with its edits as `--edit` and the link
/// write them: "LeNet", "LeNet (edited), edit=act-relu~pool-max",
/// "VGG-11 at width ratio 4".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetName {
    pub title: NetTitle,
    /// VGG's width ratio, when not 1.
    pub ratio: Option<usize>,
    /// `edit::to_query`'s form; empty for the book's net.
    pub edits: String,
}

impl NetName {
    pub fn of(net: &NetConfig) -> NetName {
        NetName {
            title: net.title(),
            ratio: net.vgg_ratio().filter(|&ratio| ratio != 1),
            edits: edit::to_query(net),
        }
    }
}

/// Why a weights file cannot be used (in both languages:
/// `crate::i18n::weights`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Adjacently tagged: an internally tagged enum cannot carry a newtype
// variant of a string, a list or another enum tagged "error".
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum WeightsError {
    /// Safetensors' own reason (English).
    NotSafetensors(String),
    WrongNet {
        found: NetName,
        expected: NetName,
    },
    Missing {
        name: String,
        expected: Arch,
    },
    WrongShape {
        name: String,
        expected: Vec<usize>,
        found: Vec<usize>,
    },
    Dtype {
        name: String,
        dtype: String,
    },
    TooSmall {
        net: NetName,
        needs: u64,
        bytes: usize,
    },
    Metadata(MetadataProblem),
    Shape(ShapeError),
    /// Burn's store's own reason (English).
    Store(String),
}

/// Why a file's metadata cannot be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Adjacently tagged: an internally tagged enum cannot carry a newtype
// variant of a string.
#[serde(tag = "problem", content = "detail", rename_all = "snake_case")]
pub enum MetadataProblem {
    /// A format version that is not a number, as written.
    Version(String),
    NewerVersion {
        version: u32,
        max: u32,
    },
    /// serde_json's own reason (English).
    Json(String),
    /// A net the editor could not make.
    Net(EditError),
    InputSize {
        resize: usize,
        max: usize,
    },
}

impl From<ShapeError> for WeightsError {
    fn from(e: ShapeError) -> Self {
        WeightsError::Shape(e)
    }
}
