//! Leave the tab: the form's net and run as the book's own PyTorch code,
//! a script or a notebook of the same cells, that trains on one GPU or
//! many (`torchrun`), reads our weights files and writes ones the page loads.
//!
//! The net is written the way the book writes it, per net (`nets/`), with
//! the form's edits as values; data, `train_ch6`, weights files and the
//! command line are Python kept as Python (`py/`), around the settings the
//! form fills in (`program`). Plain text from plain data, without Burn: the
//! page, built without the `train` feature, calls [`python_script`] and
//! [`notebook`] as the command line (`cnnp export`) does.

mod nets;
mod notebook;
mod program;
mod python;

use crate::training::TrainConfig;

/// Where the exported code reads its images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataChoice {
    /// The four Fashion-MNIST files as published (gzip IDX), in this
    /// folder: the script's default `--data`.
    FashionMnist { dir: String },
}

impl Default for DataChoice {
    /// A folder beside the script, where the page's reader puts the files.
    fn default() -> Self {
        DataChoice::FashionMnist {
            dir: "fashion-mnist".to_string(),
        }
    }
}

/// A script to run (`python`, `torchrun`) or a notebook of the same cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Script,
    Notebook,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Script, Format::Notebook];

    /// Its file extension, which `cnnp export --format` takes.
    pub fn id(self) -> &'static str {
        match self {
            Format::Script => "py",
            Format::Notebook => "ipynb",
        }
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.id() == id)
    }
}

/// Why a run cannot be exported: the problems its settings have, each
/// naming the setting (as the page shows them before Train).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("cannot export: {}", .0.join("; "))]
pub struct ExportError(pub Vec<String>);

/// The run `config` as a self-contained PyTorch script: the net as the
/// book writes it, its shape printout (`--shapes`), Fashion-MNIST from
/// `data`, the book's `train_ch6` on one process or under `torchrun`, our
/// weights files in and out; the form's settings as its defaults.
pub fn python_script(config: &TrainConfig, data: &DataChoice) -> Result<String, ExportError> {
    Ok(program::Program::of(config, data)?.script())
}

/// The same code as a Jupyter notebook (nbformat 4, JSON): a cell per
/// part, with the shape printout after the net and the run at the end.
pub fn notebook(config: &TrainConfig, data: &DataChoice) -> Result<String, ExportError> {
    Ok(notebook::to_json(&program::Program::of(config, data)?))
}

/// `python_script` or `notebook`, as `format` says.
pub fn export(config: &TrainConfig, data: &DataChoice, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Script => python_script(config, data),
        Format::Notebook => notebook(config, data),
    }
}

/// What to call the file: `lenet.py`, `resnet.ipynb`.
pub fn file_name(config: &TrainConfig, format: Format) -> String {
    format!("{}.{}", config.net.arch().id(), format.id())
}
