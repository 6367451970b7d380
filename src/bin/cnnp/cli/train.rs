//! `cnnp train`: the book's run on Fashion-MNIST, epoch by epoch.

use cnn_playground::arch::{Arch, NetIo};
use cnn_playground::backend::BackendKind;
use cnn_playground::data::CLASS_NAMES;
use cnn_playground::data::own::Splits;
use cnn_playground::training::{self, Ending, OptimizerKind, Outcome, TrainConfig};
use cnn_playground::weights;

use super::confusion::confusion_table;
use super::flags::Flags;
use super::inputs::{data_json, data_line, device, load_data};
use super::terminal::Terminal;
use super::weights_file::WeightsFile;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
Trains on Fashion-MNIST (--data: other IDX files, or a folder or zip
of one's own images; the net takes the data's channels and classes)
with the book's settings for the net (--quick: the page's quick
setting) unless told otherwise, printing the book's
line after each epoch (--json: one object per epoch, with its confusion
matrix), then the test set's confusion matrix. --print-config
prints the run's settings as the worker takes them, and stops.
--save FILE writes the trained weights (safetensors, with the book's
PyTorch names: load_state_dict reads them); --weights FILE starts from
a weights file (ours, or one saved from the book's PyTorch net).";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    let weights_file = WeightsFile::given(flags)?;
    let data = load_data(flags)?;
    let config = settings(flags, arch, weights_file.as_ref(), data.io())?;
    if flags.has("print-config") {
        println!("{}", serde_json::to_string(&config).expect("a config serializes"));
        return Ok(());
    }
    match flags.has("json") {
        true => println!("{}", data_json(&data)),
        false if flags.value("data").is_some() => println!("{}", data_line(&data)),
        false => {}
    }
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let device = device(kind)?;
    let mut host = Terminal::new(flags.has("json"));
    // Loaded before the run, so the file's bytes are not held through it.
    let start = weights_file
        .map(|file| file.load(&config.net, config.resize, &device))
        .transpose()?;
    let outcome = pollster::block_on(training::train_or_continue(
        start,
        &config,
        &data.train,
        &data.test,
        &device,
        kind.id(),
        &mut host,
    ))
    .map_err(|e| CliError::Run(e.to_string()))?;
    if let Some(path) = flags.value("save") {
        save(path, &config, &outcome, &data)?;
    }
    // The book's closing look at the test set: which classes it confuses.
    if let (false, Some(last)) = (flags.has("json"), outcome.history.last()) {
        print!("{}", confusion_table(&last.confusion, &data.classes));
    }
    match outcome.ending.message() {
        Some(message) if matches!(outcome.ending, Ending::Diverged { .. }) => {
            Err(CliError::Run(message.to_string()))
        }
        Some(message) => {
            eprintln!("cnnp: {message}");
            Ok(())
        }
        None => Ok(()),
    }
}

/// The run's settings: `run_settings` for data of `io`'s channels and
/// classes, with the gradient view; refused
/// with every problem they have.
fn settings(
    flags: &Flags,
    arch: Arch,
    weights_file: Option<&WeightsFile>,
    io: NetIo,
) -> Result<TrainConfig, UsageError> {
    let mut config = run_settings(flags, arch, weights_file)?;
    config.net = config.net.with_io(io);
    flags.gradient_view(&mut config)?;
    let problems = config.problems();
    if !problems.is_empty() {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(UsageError(problems.join("; ")));
    }
    Ok(config)
}

/// A run's settings as the flags give them, for `train` and `export`: the
/// book's (or the page's quick ones), the net and size from the flags or
/// the weights file, then each flag given.
pub fn run_settings(
    flags: &Flags,
    arch: Arch,
    weights_file: Option<&WeightsFile>,
) -> Result<TrainConfig, UsageError> {
    let mut config = match flags.has("quick") {
        true => TrainConfig::quick(arch),
        false => TrainConfig::book(arch),
    };
    (config.net, config.resize) = flags.net_for_weights(arch, &config, weights_file)?;
    if let Some(id) = flags.value("optimizer") {
        config.optimizer = OptimizerKind::from_id(id)
            .ok_or_else(|| UsageError(format!("unknown optimizer '{id}'; accepted: sgd|momentum|adam")))?;
        config.lr = config.optimizer.default_lr(arch);
    }
    config.epochs = flags.number("epochs", 1, 10_000)?.unwrap_or(config.epochs);
    config.lr = flags.real("lr", 1e-9, 100.0)?.unwrap_or(config.lr);
    config.batch_size = flags.number("batch", 1, 60_000)?.unwrap_or(config.batch_size);
    config.weight_decay = flags.real("weight-decay", 0.0, 10.0)?.unwrap_or(0.0);
    config.train_limit = flags.number("train-limit", 1, 60_000)?.or(config.train_limit);
    config.test_limit = flags.number("test-limit", 1, 10_000)?.or(config.test_limit);
    config.seed = flags.number("seed", 0, usize::MAX)?.unwrap_or(0) as u64;
    Ok(config)
}

/// `--save FILE`: the trained weights, with what they are and how they
/// were trained.
fn save(path: &str, config: &TrainConfig, outcome: &Outcome, data: &Splits) -> Result<(), CliError> {
    let results = outcome.history.last().map(weights::Results::of);
    let mut about = weights::About::of_run(config, results, weights::trained(outcome.history.len()));
    if data.classes != CLASS_NAMES {
        about = about.with_class_names(&data.classes);
    }
    let bytes = weights::to_bytes(&outcome.model, &about).map_err(|e| CliError::Run(e.to_string()))?;
    std::fs::write(path, bytes).map_err(|e| CliError::Run(format!("cannot write {path}: {e}")))?;
    eprintln!("cnnp: weights saved to {path}");
    Ok(())
}
