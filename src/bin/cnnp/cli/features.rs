//! `cnnp features`: one row's output for one test image, per channel.

use cnn_playground::arch::Arch;
use cnn_playground::backend::BackendKind;
use cnn_playground::data::{self, CLASS_NAMES};
use cnn_playground::model::Net;
use cnn_playground::shape::{Row, parse_row_path};
use cnn_playground::training::{self, Look, TrainConfig};

use super::flags::Flags;
use super::inputs::{device, load_data};
use super::weights_file::WeightsFile;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
What row L of the table (as `shapes --expand` numbers it: 3 is the
third row, 3.2 the second layer inside it) outputs for test image I
(from 0): its shape and each channel's min, max and mean, then the ten
class probabilities. The net is untrained (initialised from --seed, as
a run starts; --weights FILE for trained ones), at the book's
training size unless --resize says.";

/// What one look inside found, with what it looked at.
struct Found<'a> {
    arch: Arch,
    config: &'a TrainConfig,
    /// The weights file's path, or which untrained net.
    weights: String,
    image: usize,
    label: usize,
    /// Which row, as given.
    layer: &'a str,
    row: Row,
    look: Look,
}

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    let mut config = TrainConfig::book(arch);
    let weights_file = WeightsFile::given(flags)?;
    (config.net, config.resize) = flags.net_for_weights(arch, &config, weights_file.as_ref())?;
    config.seed = flags.number("seed", 0, usize::MAX)?.unwrap_or(0) as u64;
    let image = flags
        .number("image", 0, usize::MAX)?
        .ok_or_else(|| UsageError("--image I: which test image (from 0)".to_string()))?;
    let layer_text = flags
        .value("layer")
        .ok_or_else(|| UsageError("--layer L: which row of the table (3, or 3.2 inside it)".to_string()))?;
    let layer = parse_row_path(layer_text).map_err(UsageError)?;
    let row = table_row(arch, &config, &layer, layer_text)?;
    let (_, test_set) = load_data(&flags.data_dir())?;
    if image >= test_set.len() {
        return Err(UsageError(format!(
            "--image {image}: the test set has {} images (0 to {})",
            test_set.len(),
            test_set.len() - 1
        ))
        .into());
    }
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let device = device(kind)?;
    let (model, weights) = model(weights_file, &config, &device)?;
    let batch = test_set.batch(&[image], &data::Resize::to(config.resize));
    let tensor = training::image_tensor(&batch, &device);
    let look = pollster::block_on(training::look_inside(&model, tensor, &layer, kind.id()))
        .map_err(|e| CliError::Run(e.to_string()))?;
    let found = Found {
        arch,
        config: &config,
        weights,
        image,
        label: test_set.label(image) as usize,
        layer: layer_text,
        row,
        look,
    };
    match flags.has("json") {
        true => print_json(&found),
        false => print_text(&found),
    }
    Ok(())
}

/// The row at `layer` of the net's table at the config's size.
fn table_row(arch: Arch, config: &TrainConfig, layer: &[usize], layer_text: &str) -> Result<Row, UsageError> {
    let side = config.resize;
    let table = config.shape_table(1).map_err(|e| {
        UsageError(format!(
            "a {side}×{side} input does not fit {}: {e}",
            arch.title()
        ))
    })?;
    table.row_at(layer).cloned().ok_or_else(|| {
        UsageError(format!(
            "{} has no row {layer_text} (`cnnp shapes --arch {} --expand` lists them)",
            arch.title(),
            arch.id()
        ))
    })
}

/// The net to look into, and what it is: the file's weights, or a fresh
/// net from the config's seed.
fn model(
    file: Option<WeightsFile>,
    config: &TrainConfig,
    device: &burn::tensor::Device,
) -> Result<(Net, String), CliError> {
    Ok(match file {
        Some(file) => (file.load(&config.net, config.resize, device)?, file.path),
        None => (
            training::init_model(config, &device.clone().autodiff())
                .map_err(|e| CliError::Run(e.to_string()))?,
            format!("untrained (seed {})", config.seed),
        ),
    })
}

fn print_json(found: &Found) {
    let look = &found.look;
    let channels: Vec<_> = look
        .channel_stats()
        .iter()
        .map(|c| serde_json::json!({"min": c.min, "max": c.max, "mean": c.mean}))
        .collect();
    let object = serde_json::json!({
        "arch": found.arch.id(),
        "resize": found.config.resize,
        "seed": found.config.seed,
        "weights": found.weights,
        "image": found.image,
        "label": found.label,
        "class": CLASS_NAMES[found.label],
        "layer": found.layer,
        "row": {"name": found.row.name, "settings": found.row.settings.to_string()},
        "shape": look.shape,
        "channels": channels,
        "probabilities": look.probabilities,
        "predicted": look.predicted(),
    });
    println!("{object}");
}

fn print_text(found: &Found) {
    let (look, side) = (&found.look, found.config.resize);
    println!(
        "{}, {}, test image {} ({}), {side}×{side}: row {} {} ({}) outputs {}",
        found.arch.title(),
        found.weights,
        found.image,
        CLASS_NAMES[found.label],
        found.layer,
        found.row.name,
        found.row.settings,
        cnn_playground::format::shape(&look.shape)
    );
    println!("{:>8} {:>10} {:>10} {:>10}", "channel", "min", "max", "mean");
    for (c, stats) in look.channel_stats().iter().enumerate() {
        println!(
            "{c:>8} {:>10.4} {:>10.4} {:>10.4}",
            stats.min, stats.max, stats.mean
        );
    }
    let probabilities: Vec<String> = look
        .probabilities
        .iter()
        .enumerate()
        .map(|(class, p)| format!("{} {p:.3}", CLASS_NAMES[class]))
        .collect();
    println!("probabilities: {}", probabilities.join(", "));
    println!("predicted: {}", CLASS_NAMES[look.predicted()]);
}
