//! `--weights FILE`: a weights file, read once, and the net it holds.

use cnn_playground::arch::NetConfig;
use cnn_playground::model::Net;
use cnn_playground::weights;

use super::CliError;
use super::flags::Flags;

/// A `--weights` file: its bytes, read once, and what it says of itself.
pub struct WeightsFile {
    pub path: String,
    bytes: Vec<u8>,
    pub about: Option<weights::About>,
}

impl WeightsFile {
    /// The `--weights` file, read, if there is one.
    pub fn given(flags: &Flags) -> Result<Option<WeightsFile>, CliError> {
        flags.value("weights").map(WeightsFile::read).transpose()
    }

    fn read(path: &str) -> Result<WeightsFile, CliError> {
        let bytes = std::fs::read(path).map_err(|e| CliError::Run(format!("cannot read {path}: {e}")))?;
        let about = weights::read_about(&bytes).map_err(|e| CliError::Run(format!("{path}: {e}")))?;
        Ok(WeightsFile {
            path: path.to_string(),
            bytes,
            about,
        })
    }

    /// The weights as `net` at `side`, on `device` with autodiff (to train
    /// on).
    pub fn load(&self, net: &NetConfig, side: usize, device: &burn::tensor::Device) -> Result<Net, CliError> {
        weights::from_bytes(&self.bytes, net, side, &device.clone().autodiff())
            .map(|(model, _)| model)
            .map_err(|e| CliError::Run(format!("{}: {e}", self.path)))
    }
}
