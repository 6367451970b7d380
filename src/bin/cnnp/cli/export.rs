//! `cnnp export`: the run as the book's PyTorch code, a script or a notebook.

use cnn_playground::export::{self, DataChoice, Format};

use super::flags::Flags;
use super::train::run_settings;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
The run as the book's PyTorch code (--format py: a script; ipynb: a
Jupyter notebook of the same cells): the net as the book writes it with
the edits as values, its shape printout, Fashion-MNIST read from --data,
train_ch6 on one process or under torchrun (DistributedDataParallel),
our weights files in (--weights) and out (--save). The run's settings
(as train takes them) are its defaults. To standard output, or --out FILE.";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    let id = flags
        .value("format")
        .ok_or_else(|| UsageError("--format is required; accepted: py|ipynb".to_string()))?;
    let format = Format::from_id(id)
        .ok_or_else(|| UsageError(format!("unknown format '{id}'; accepted: py|ipynb")))?;
    let config = run_settings(flags, arch, None)?;
    let data = match flags.value("data") {
        Some(dir) => DataChoice::FashionMnist { dir: dir.to_string() },
        None => DataChoice::default(),
    };
    let text = export::export(&config, &data, format).map_err(|e| UsageError(e.to_string()))?;
    match flags.value("out") {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| CliError::Run(format!("cannot write {path}: {e}")))?;
            eprintln!("cnnp: {} written to {path}", config.net.title());
            Ok(())
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
