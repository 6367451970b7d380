//! What a command reads besides its flags: the data and a device.

use cnn_playground::backend::{self, BackendKind};
use cnn_playground::data::folder::Assembly;
use cnn_playground::data::native;
use cnn_playground::data::own::{SplitOrigin, Splits};
use cnn_playground::i18n::Lang;
use cnn_playground::i18n::own_data::summary;

use super::CliError;
use super::flags::Flags;

/// Reads and checks the data `--data` names (Fashion-MNIST by default): a
/// folder of IDX files or of class folders, or a zip of one. A split drawn
/// from a folder is always seeded the same (0), so that `train` and `eval`
/// test on the same images whatever the run's seed.
pub fn load_data(flags: &Flags) -> Result<Splits, CliError> {
    let assembly = Assembly {
        keep_colour: !flags.has("grey"),
        ..Assembly::default()
    };
    native::read_data(&flags.data_dir(), assembly).map_err(|e| CliError::Run(e.to_string()))
}

/// What the data is, as `train --json`'s first line says it.
pub fn data_json(data: &Splits) -> serde_json::Value {
    let format = data.format();
    serde_json::json!({
        "event": "data",
        "name": data.name,
        "classes": data.classes,
        "in_channels": format.channels,
        "height": format.height,
        "width": format.width,
        "train": data.train.len(),
        "test": data.test.len(),
        "split": data.split,
        "skipped": data.skipped,
        "hash": data.content_hash(),
    })
}

/// What the data is, in a line: `shapes: 180 images in 3 classes; 1 file
/// skipped: …; 3×32×32; 20 % of each class kept for testing (seed 0)`.
pub fn data_line(data: &Splits) -> String {
    let format = data.format();
    let images = data.train.len() + data.test.len();
    let split = match data.split {
        SplitOrigin::Given => "its own test split".to_string(),
        SplitOrigin::Drawn { seed, test_share } => {
            format!(
                "{:.0} % of each class kept for testing (seed {seed})",
                test_share * 100.0
            )
        }
    };
    format!(
        "{}: {}; {}×{}×{}; {split}",
        data.name,
        summary(
            images,
            data.classes.len(),
            &data.skipped,
            data.skipped.len(),
            Lang::En
        ),
        format.channels,
        format.height,
        format.width
    )
}

pub fn device(kind: BackendKind) -> Result<burn::tensor::Device, CliError> {
    backend::native(kind).map_err(CliError::Run)
}
