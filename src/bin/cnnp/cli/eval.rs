//! `cnnp eval`: a weights file's test loss, accuracy and confusion matrix.

use burn::module::Module;
use burn::tensor::Device;
use cnn_playground::backend::BackendKind;
use cnn_playground::data::{self, Dataset};
use cnn_playground::model::Net;
use cnn_playground::training::{self, Evaluation, TrainConfig};
use cnn_playground::weights::About;

use super::confusion::confusion_table;
use super::flags::Flags;
use super::inputs::{device, load_data};
use super::weights_file::WeightsFile;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
The test loss, test accuracy and confusion matrix of a weights file;
--logits N: the net's logits for the first N test images instead, as
JSON (to hold against PyTorch's for the same file).";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    let file = WeightsFile::given(flags)?
        .ok_or_else(|| UsageError("--weights FILE: the weights to evaluate".to_string()))?;
    let book = TrainConfig::book(arch);
    let (net, side) = flags.net_for_weights(arch, &book, Some(&file))?;
    let data = load_data(flags)?;
    let net = net.with_io(data.io());
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let device = device(kind)?;
    let model = file.load(&net, side, &device)?;
    // Its bytes are not held through the evaluation.
    let WeightsFile { path, about, .. } = file;
    let test_set = data.test;
    if let Some(n) = flags.number("logits", 1, 10_000)? {
        let logits = logits(&model, &test_set.truncated(n), side, &device)?;
        println!(
            "{}",
            serde_json::json!({"arch": arch.id(), "resize": side, "logits": logits})
        );
        return Ok(());
    }
    let test_set = test_set.truncated(flags.number("test-limit", 1, 10_000)?.unwrap_or(usize::MAX));
    let evaluation = pollster::block_on(training::evaluate(
        &model,
        &test_set,
        &data::Resize::to(side),
        book.batch_size,
        &device,
        kind.id(),
    ))
    .map_err(|e| CliError::Run(e.to_string()))?;
    match flags.has("json") {
        true => print_json(arch.id(), &path, about.as_ref(), side, &evaluation),
        false => print_text(&path, about.as_ref(), &evaluation, &data.classes),
    }
    Ok(())
}

/// The net's logits for every image of `images` (in eval mode: dropout
/// off, batch norm on its running statistics), a row each.
fn logits(model: &Net, images: &Dataset, side: usize, device: &Device) -> Result<Vec<Vec<f32>>, CliError> {
    let indices: Vec<usize> = (0..images.len()).collect();
    // As `training::evaluate`: the model made valid, off the autodiff device.
    let device = device.clone().inner();
    let (input, _) = training::batch_tensors(&images.batch(&indices, &data::Resize::to(side)), &device);
    let logits = model.valid().forward(input);
    let values = logits
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|e| CliError::Run(format!("{e:?}")))?;
    let classes = values.len() / images.len().max(1);
    Ok(values.chunks(classes.max(1)).map(<[f32]>::to_vec).collect())
}

fn print_json(arch: &str, path: &str, about: Option<&About>, side: usize, evaluation: &Evaluation) {
    let confusion = &evaluation.confusion;
    let object = serde_json::json!({
        "arch": arch,
        "weights": path,
        "about": about,
        "resize": side,
        "test_loss": evaluation.loss,
        "test_acc": confusion.accuracy(),
        "images": confusion.total(),
        "confusion": confusion,
    });
    println!("{object}");
}

fn print_text(path: &str, about: Option<&About>, evaluation: &Evaluation, classes: &[String]) {
    let confusion = &evaluation.confusion;
    if let Some(about) = about {
        println!("{path}: {}", about.description);
    }
    println!(
        "test loss {:.3}, test acc {:.3} on {} images",
        evaluation.loss,
        confusion.accuracy(),
        confusion.total()
    );
    print!("{}", confusion_table(confusion, classes));
}
