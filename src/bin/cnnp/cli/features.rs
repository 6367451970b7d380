//! `cnnp features`: one row's output for one test image, per channel.

use cnn_playground::arch::Arch;
use cnn_playground::backend::BackendKind;
use cnn_playground::data;
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
(from 0): its shape and each channel's min, max and mean, then the
class probabilities. The net is untrained (initialised from --seed, as
a run starts; --weights FILE for trained ones), at the book's
training size unless --resize says.";

/// What a command that looks at one value reads: the net, one test image
/// on the device, and the row of the table it asks about.
pub(super) struct Target {
    pub arch: Arch,
    pub config: TrainConfig,
    /// The weights file's path, or which untrained net.
    pub weights: String,
    pub image: usize,
    pub label: usize,
    /// The data's class names, in label order.
    pub classes: Vec<String>,
    /// Which row, as given, and as a path.
    pub layer_text: String,
    pub layer: Vec<usize>,
    pub row: Row,
    pub backend: BackendKind,
    pub model: Net,
    /// The image, `[1, C, S, S]` on the device.
    pub tensor: burn::tensor::Tensor<4>,
}

impl Target {
    /// Reads `--arch`, `--weights`, `--image`, `--layer` and the data.
    pub fn read(flags: &Flags) -> Result<Target, CliError> {
        let arch = flags.arch()?;
        let mut config = TrainConfig::book(arch);
        let weights_file = WeightsFile::given(flags)?;
        (config.net, config.resize) = flags.net_for_weights(arch, &config, weights_file.as_ref())?;
        let data = load_data(flags)?;
        config.net = config.net.with_io(data.io());
        config.seed = flags.number("seed", 0, usize::MAX)?.unwrap_or(0) as u64;
        let image = flags
            .number("image", 0, usize::MAX)?
            .ok_or_else(|| UsageError("--image I: which test image (from 0)".to_string()))?;
        let layer_text = flags.value("layer").ok_or_else(|| {
            UsageError("--layer L: which row of the table (3, or 3.2 inside it)".to_string())
        })?;
        let layer = parse_row_path(layer_text).map_err(UsageError)?;
        let row = table_row(arch, &config, &layer, layer_text)?;
        let test_set = &data.test;
        if image >= test_set.len() {
            return Err(UsageError(format!(
                "--image {image}: the test set has {} images (0 to {})",
                test_set.len(),
                test_set.len() - 1
            ))
            .into());
        }
        let backend = flags.backend(Some(BackendKind::Cpu))?;
        let device = device(backend)?;
        let (model, weights) = model(weights_file, &config, &device)?;
        let batch = test_set.batch(&[image], &data::Resize::to(config.resize));
        let tensor = training::image_tensor(&batch, &device);
        Ok(Target {
            arch,
            weights,
            image,
            label: test_set.label(image) as usize,
            classes: data.classes.clone(),
            layer_text: layer_text.to_string(),
            layer,
            row,
            backend,
            model,
            tensor,
            config,
        })
    }

    /// The name of class `label`.
    pub fn class_name(&self, label: usize) -> &str {
        self.classes.get(label).map_or("?", String::as_str)
    }

    /// Net, weights, image and row, as the text output's first line says them.
    pub fn headline(&self) -> String {
        let side = self.config.resize;
        format!(
            "{}, {}, test image {} ({}), {side}×{side}: row {} {} ({})",
            self.arch.title(),
            self.weights,
            self.image,
            self.class_name(self.label),
            self.layer_text,
            self.row.name,
            self.row.settings,
        )
    }

    /// What the JSON output says of them.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "arch": self.arch.id(),
            "resize": self.config.resize,
            "seed": self.config.seed,
            "weights": self.weights,
            "image": self.image,
            "label": self.label,
            "class": self.class_name(self.label),
            "layer": self.layer_text,
            "row": {"name": self.row.name, "settings": self.row.settings.to_string()},
        })
    }
}

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let target = Target::read(flags)?;
    let look = pollster::block_on(training::look_inside(
        &target.model,
        target.tensor.clone(),
        &target.layer,
        target.backend.id(),
    ))
    .map_err(|e| CliError::Run(e.to_string()))?;
    match flags.has("json") {
        true => print_json(&target, &look),
        false => print_text(&target, &look),
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

fn print_json(target: &Target, look: &Look) {
    let channels: Vec<_> = look
        .channel_stats()
        .iter()
        .map(|c| serde_json::json!({"min": c.min, "max": c.max, "mean": c.mean}))
        .collect();
    let mut object = target.json();
    object["shape"] = serde_json::json!(look.shape);
    object["channels"] = serde_json::json!(channels);
    object["probabilities"] = serde_json::json!(look.probabilities);
    object["predicted"] = serde_json::json!(look.predicted());
    println!("{object}");
}

fn print_text(target: &Target, look: &Look) {
    println!(
        "{} outputs {}",
        target.headline(),
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
        .map(|(class, p)| format!("{} {p:.3}", target.class_name(class)))
        .collect();
    println!("probabilities: {}", probabilities.join(", "));
    println!("predicted: {}", target.class_name(look.predicted()));
}
