//! What a command reads besides its flags: Fashion-MNIST and a device.

use cnn_playground::backend::{self, BackendKind};
use cnn_playground::data::{self, Dataset};

use super::CliError;

/// Reads and checks the four Fashion-MNIST files: (train, test).
pub fn load_data(dir: &std::path::Path) -> Result<(Dataset, Dataset), CliError> {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .map_err(|e| CliError::Run(format!("cannot read {}: {e}", dir.join(name).display())))
    };
    let split = |images: &str, labels: &str| {
        Dataset::from_gz(images, &read(images)?, labels, &read(labels)?)
            .map_err(|e| CliError::Run(e.to_string()))
    };
    Ok((
        split(data::TRAIN_IMAGES, data::TRAIN_LABELS)?,
        split(data::TEST_IMAGES, data::TEST_LABELS)?,
    ))
}

pub fn device(kind: BackendKind) -> Result<burn::tensor::Device, CliError> {
    backend::native(kind).map_err(CliError::Run)
}
