//! The command line itself (native only: it reads files and blocks).
//!
//! ```text
//! cnnp shapes --arch A [--resize N] [--ratio R] [--expand] [--json]
//! cnnp train  --arch A [--epochs N] [--lr X] [--batch N] [--resize N] [--ratio R]
//!             [--optimizer sgd|momentum|adam] [--weight-decay X] [--backend cpu|wgpu]
//!             [--train-limit N] [--test-limit N] [--seed S] [--data DIR] [--json]
//!             [--quick] [--print-config] [--save FILE] [--weights FILE]
//! cnnp bench  --arch A --backend cpu|wgpu [--batch N] [--steps N] [--resize N] [--conv ours|burn]
//!             [--readback-every K] [--data DIR] [--json]
//! cnnp features --arch A --image I --layer L [--resize N] [--ratio R] [--seed S]
//!             [--backend cpu|wgpu] [--data DIR] [--json] [--weights FILE]
//! cnnp eval   --arch A --weights FILE [--resize N] [--ratio R] [--test-limit N]
//!             [--backend cpu|wgpu] [--data DIR] [--json]
//! cnnp config --arch A
//! ```
//!
//! Every command also takes `--config FILE`, `--preset P` and `--edit E`
//! (the net as edited in the page); train and bench take `--grad-norms`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cnn_playground::arch::{Arch, INPUT_CHANNELS, MAX_INPUT_SIDE, NetConfig, edit};
use cnn_playground::backend::{self, BackendKind};
use cnn_playground::bounds::Bounds;
use cnn_playground::data::{self, Dataset};
use cnn_playground::shape::ShapeTable;
use cnn_playground::training::{self, Control, Event, Host, OptimizerKind, TrainConfig};
use cnn_playground::weights;

const USAGE: &str = "usage: cnnp shapes|train|eval|bench|features|config --arch A [options]; cnnp help";

const HELP: &str = "cnnp: the classic CNNs of Dive into Deep Learning

  cnnp shapes --arch A [--resize N] [--ratio R] [--expand] [--json]
      The layer table, as the book prints it (VGG at full width, ResNet at 224),
      with settings, parameters, MACs and activation memory. --expand shows
      every block's inner layers.

  cnnp train --arch A [--epochs N] [--lr X] [--batch N] [--resize N] [--ratio R]
             [--optimizer sgd|momentum|adam] [--weight-decay X] [--backend cpu|wgpu]
             [--train-limit N] [--test-limit N] [--seed S] [--data DIR] [--json]
             [--quick] [--print-config] [--save FILE] [--weights FILE]
      Trains on Fashion-MNIST with the book's settings for the net (--quick:
      the page's quick setting) unless told otherwise, printing the book's
      line after each epoch (--json: one object per epoch, with its confusion
      matrix), then the test set's confusion matrix. --print-config
      prints the run's settings as the worker takes them, and stops.
      --save FILE writes the trained weights (safetensors, with the book's
      PyTorch names: load_state_dict reads them); --weights FILE starts from
      a weights file (ours, or one saved from the book's PyTorch net).

  cnnp eval --arch A --weights FILE [--resize N] [--ratio R] [--test-limit N]
            [--backend cpu|wgpu] [--data DIR] [--json]
      The test loss, test accuracy and confusion matrix of a weights file.

  cnnp bench --arch A --backend cpu|wgpu [--batch N] [--steps N] [--resize N] [--conv ours|burn]
             [--readback-every K] [--profile] [--data DIR] [--json]
      Times training steps: the first (warm-up: kernel compilation and
      autotuning) apart, then examples/sec over the next N. On wgpu the
      convolutions, pooling and dense layers run on our kernels, on the CPU
      the sigmoid; --conv burn runs Burn's instead.
      --profile: each layer of the table on its own, forward and backward
      (N repetitions each), to see where a step's time goes.

  cnnp features --arch A --image I --layer L [--resize N] [--ratio R] [--seed S]
                [--backend cpu|wgpu] [--data DIR] [--json]
      What row L of the table (as `shapes --expand` numbers it: 3 is the
      third row, 3.2 the second layer inside it) outputs for test image I
      (from 0): its shape and each channel's min, max and mean, then the ten
      class probabilities. The net is untrained (initialised from --seed, as
      a run starts; --weights FILE for trained ones), at the book's
      training size unless --resize says.

  cnnp config --arch A [--ratio R] [--preset P] [--edit E]
      The net's description as JSON (as the book trains it): edit it and
      pass it to shapes, train, eval, bench or features as --config FILE
      (every field the page's editor has: LeNet's activation, pooling,
      channels, kernel and dense widths; VGG's conv_arch; ResNet's stages,
      shortcut and batch norm; ...). The page shows the same JSON.

  Every command that takes --arch also takes
      --preset P   one of the book's exercises for the net (lenet-relu-max,
                   alexnet-28, vgg-13, vgg-16, vgg-19, nin-one, googlenet-half,
                   bn-after, bn-convs-only, resnet-34, plain-34, deep-plain,
                   deep-residual, densenet-growth-16), with its input size
      --edit E     the page's link form of edits, e.g. 'act-relu~pool-max'
                   (as in its URL's edit=)
      --grad-norms (train, bench) measure each weighted layer's
                   weight-gradient norm at every step: train prints the
                   epoch's means of the first and last layers, or with --json
                   a 'gradients' line per step after a 'started' line naming
                   the layers; --grad-norms-every N measures every Nth step

  A: lenet|alexnet|vgg|nin|googlenet|bn-lenet|resnet|densenet";

/// A command line that cannot be run: said in one line, exit code 2.
struct UsageError(String);

/// Why a valid command failed (data, device, divergence): exit code 1.
enum Failure {
    Usage(UsageError),
    Run(String),
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Self {
        Failure::Usage(e)
    }
}

/// The flags after the command, as `--name value` pairs and bare switches.
struct Flags {
    pairs: Vec<(String, Option<String>)>,
}

impl Flags {
    /// Splits `args`; `switches` are the flags that take no value.
    fn parse(args: &[String], switches: &[&str], valued: &[&str]) -> Result<Flags, UsageError> {
        let mut pairs = vec![];
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (arg.as_str(), None),
            };
            let Some(flag) = name.strip_prefix("--") else {
                return Err(UsageError(format!("unexpected argument '{arg}'; {USAGE}")));
            };
            if switches.contains(&flag) {
                pairs.push((flag.to_string(), None));
            } else if valued.contains(&flag) {
                let value = match inline {
                    Some(value) => value,
                    None => iter
                        .next()
                        .cloned()
                        .ok_or_else(|| UsageError(format!("--{flag} needs a value")))?,
                };
                pairs.push((flag.to_string(), Some(value)));
            } else {
                let accepted: Vec<String> = switches.iter().chain(valued).map(|f| format!("--{f}")).collect();
                return Err(UsageError(format!(
                    "unknown flag '--{flag}'; accepted: {}",
                    accepted.join(", ")
                )));
            }
        }
        Ok(Flags { pairs })
    }

    fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(flag, _)| flag == name)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(flag, _)| flag == name)
            .and_then(|(_, value)| value.as_deref())
    }

    fn arch(&self) -> Result<Arch, UsageError> {
        let id = self
            .value("arch")
            .ok_or_else(|| UsageError(format!("--arch is required; accepted: {}", Arch::ids())))?;
        Arch::from_id(id).ok_or_else(|| UsageError(format!("unknown arch '{id}'; accepted: {}", Arch::ids())))
    }

    /// A whole number in `min..=max`, when given.
    fn number(&self, name: &str, min: usize, max: usize) -> Result<Option<usize>, UsageError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        Bounds::new(min, max)
            .parse(text)
            .map(Some)
            .map_err(|e| UsageError(format!("--{name} takes {e}")))
    }

    /// A finite number in `min..=max`, when given.
    fn real(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, UsageError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        Bounds::new(min, max)
            .parse(text)
            .map(Some)
            .map_err(|e| UsageError(format!("--{name} takes {e}")))
    }

    fn backend(&self, default: Option<BackendKind>) -> Result<BackendKind, UsageError> {
        match (self.value("backend"), default) {
            (None, Some(kind)) => Ok(kind),
            (None, None) => Err(UsageError(
                "--backend is required; accepted: cpu|wgpu".to_string(),
            )),
            (Some(id), _) => BackendKind::from_id(id)
                .ok_or_else(|| UsageError(format!("unknown backend '{id}'; accepted: cpu|wgpu"))),
        }
    }

    /// The `--weights` file, read, if there is one.
    fn weights_file(&self) -> Result<Option<WeightsFile>, Failure> {
        self.value("weights").map(WeightsFile::read).transpose()
    }

    /// The net and input size to read `file` into: those the file says it
    /// holds (ours say, PyTorch's do not), each unless the flags give one;
    /// without such a file, the flags' over `default`'s.
    fn net_for_weights(
        &self,
        arch: Arch,
        default: &TrainConfig,
        file: Option<&WeightsFile>,
    ) -> Result<(NetConfig, usize), UsageError> {
        let about = file
            .and_then(|file| file.about.as_ref())
            .filter(|about| about.net.arch() == arch);
        let describes_net = ["ratio", "config", "edit", "preset"]
            .iter()
            .any(|flag| self.value(flag).is_some());
        let net = match about {
            Some(about) if !describes_net => about.net.clone(),
            _ => self.net(arch, default.net.clone())?,
        };
        let side = about.map_or(default.resize, |about| about.resize);
        self.resize(arch, side).map(|side| (net, side))
    }

    /// The net's config: `--config FILE` (a description as `cnnp config`
    /// prints it) or `config`, with VGG's `--ratio` applied.
    fn net(&self, arch: Arch, mut config: NetConfig) -> Result<NetConfig, UsageError> {
        if let Some(preset) = self.preset(arch)? {
            config = preset.net;
        }
        if let Some(path) = self.value("config") {
            let text =
                std::fs::read_to_string(path).map_err(|e| UsageError(format!("cannot read {path}: {e}")))?;
            let described: NetConfig = serde_json::from_str(&text).map_err(|e| {
                UsageError(format!(
                    "{path} is not a net description ({e}); `cnnp config --arch {}` prints one",
                    arch.id()
                ))
            })?;
            edit::check(&described).map_err(|e| UsageError(format!("{path}: {e}")))?;
            if described.arch() != arch {
                return Err(UsageError(format!(
                    "{path} describes a {} net, not a {} one",
                    described.arch().id(),
                    arch.id()
                )));
            }
            config = described;
        }
        if let Some(edits) = self.value("edit") {
            let (edited, errors) = edit::apply_query(config, edits);
            if let Some((edit, error)) = errors.first() {
                return Err(UsageError(format!("--edit {edit}: {error}")));
            }
            config = edited;
        }
        if let Some(ratio) = self.number("ratio", 1, 64)? {
            if arch != Arch::Vgg {
                return Err(UsageError(format!(
                    "--ratio applies to vgg only, not {}",
                    arch.id()
                )));
            }
            config = config.with_vgg_ratio(ratio);
        }
        Ok(config)
    }

    /// `--grad-norms [--grad-norms-every N]` into `config`.
    fn gradient_view(&self, config: &mut TrainConfig) -> Result<(), UsageError> {
        config.grad_norms = self.has("grad-norms");
        config.grad_norms_every = self.number("grad-norms-every", 1, 100_000)?.unwrap_or(1);
        Ok(())
    }

    /// `--preset ID`: one of the book's exercises for `arch`.
    fn preset(&self, arch: Arch) -> Result<Option<edit::Preset>, UsageError> {
        let Some(id) = self.value("preset") else {
            return Ok(None);
        };
        let presets = edit::presets(arch);
        match presets.iter().find(|preset| preset.id == id) {
            Some(preset) => Ok(Some(preset.clone())),
            None => Err(UsageError(format!(
                "no preset '{id}' for {}; accepted: {}",
                arch.id(),
                presets
                    .iter()
                    .map(|preset| preset.id)
                    .collect::<Vec<_>>()
                    .join("|")
            ))),
        }
    }

    /// The input side: `--resize`, else the preset's, else `default`.
    fn resize(&self, arch: Arch, default: usize) -> Result<usize, UsageError> {
        let preset = self.preset(arch)?.and_then(|preset| preset.resize);
        Ok(self
            .number("resize", 1, MAX_INPUT_SIDE)?
            .or(preset)
            .unwrap_or(default))
    }

    fn data_dir(&self) -> PathBuf {
        match self.value("data") {
            Some(dir) => PathBuf::from(dir),
            None => std::env::var_os("CNNP_DATA")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/fashion-mnist")),
        }
    }
}

fn shapes(args: &[String]) -> Result<(), UsageError> {
    let flags = Flags::parse(
        args,
        &["json", "expand"],
        &["arch", "resize", "ratio", "config", "edit", "preset"],
    )?;
    let arch = flags.arch()?;
    // By default, the table as the book prints it.
    let (config, side) = arch.book_table();
    let side = flags.resize(arch, side)?;
    let config = flags.net(arch, config)?;
    let input = [1, INPUT_CHANNELS, side, side];
    let table = ShapeTable::compute(&config.layers(), &input).map_err(|e| {
        UsageError(format!(
            "a {side}×{side} input does not fit {}: {e}",
            arch.title()
        ))
    })?;
    if flags.has("json") {
        println!("{}", shapes_json(&config, &table));
    } else {
        let ratio = match &config {
            NetConfig::Vgg(vgg) => format!(", width ratio {}", vgg.ratio),
            _ => String::new(),
        };
        println!(
            "{} (d2l §{}) on an input of {}{ratio}",
            config.title(),
            arch.book_section(),
            cnn_playground::format::shape(&input)
        );
        print!("{}", table.to_text(flags.has("expand")));
    }
    Ok(())
}

fn shapes_json(config: &NetConfig, table: &ShapeTable) -> String {
    let mut object = serde_json::json!({
        "arch": config.arch().id(),
        "input": table.input,
        "layers": table.rows,
        "total_params": table.total_params,
        "total_macs": table.total_macs,
        "total_activation_bytes": table.total_activation_bytes,
    });
    if let NetConfig::Vgg(vgg) = config {
        object["ratio"] = vgg.ratio.into();
    }
    object.to_string()
}

/// Reads and checks the four Fashion-MNIST files: (train, test).
fn load_data(dir: &std::path::Path) -> Result<(Dataset, Dataset), Failure> {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .map_err(|e| Failure::Run(format!("cannot read {}: {e}", dir.join(name).display())))
    };
    let split = |images: &str, labels: &str| {
        Dataset::from_gz(images, &read(images)?, labels, &read(labels)?)
            .map_err(|e| Failure::Run(e.to_string()))
    };
    Ok((
        split(data::TRAIN_IMAGES, data::TRAIN_LABELS)?,
        split(data::TEST_IMAGES, data::TEST_LABELS)?,
    ))
}

fn device(kind: BackendKind) -> Result<burn::tensor::Device, Failure> {
    backend::native(kind).map_err(Failure::Run)
}

/// Prints what the loop reports: a progress bar on a terminal, the book's
/// line (or a JSON object) per epoch.
struct Terminal {
    start: Instant,
    json: bool,
    progress: bool,
    /// With --grad-norms: the weighted layers, and each one's norms summed
    /// over the epoch so far (and how many steps).
    weighted_layers: Vec<String>,
    norm_sums: Vec<f64>,
    norm_steps: usize,
}

impl Terminal {
    /// The epoch's mean gradient norm of the first two and last two
    /// weighted layers, in one line.
    fn norms_line(&mut self) -> Option<String> {
        if self.norm_steps == 0 {
            return None;
        }
        let n = self.norm_sums.len();
        let shown: Vec<usize> = match n {
            0..=4 => (0..n).collect(),
            _ => vec![0, 1, n - 2, n - 1],
        };
        let parts: Vec<String> = shown
            .iter()
            .map(|&i| {
                format!(
                    "{} {:.3e}",
                    self.weighted_layers[i],
                    self.norm_sums[i] / self.norm_steps as f64
                )
            })
            .collect();
        self.norm_sums.iter_mut().for_each(|sum| *sum = 0.0);
        self.norm_steps = 0;
        Some(format!(
            "  weight-gradient norms (mean over the epoch): {}",
            parts.join(" · ")
        ))
    }
}

impl Host for Terminal {
    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn event(&mut self, event: Event) -> Control {
        match event {
            Event::Started {
                ref weighted_layers, ..
            } if !weighted_layers.is_empty() => {
                self.weighted_layers = weighted_layers.clone();
                self.norm_sums = vec![0.0; weighted_layers.len()];
                if self.json {
                    println!("{}", serde_json::to_string(&event).expect("an event serialises"));
                }
            }
            Event::Gradients { ref norms, .. } => {
                for (sum, norm) in self.norm_sums.iter_mut().zip(norms) {
                    *sum += norm;
                }
                self.norm_steps += 1;
                if self.json {
                    println!("{}", serde_json::to_string(&event).expect("an event serialises"));
                }
            }
            Event::Batch {
                epoch,
                batch,
                batches,
                loss,
                train_acc,
                examples_per_s,
                ..
            } if self.progress => {
                let width = 30;
                let done = batch * width / batches;
                eprint!(
                    "\r\x1b[2Kepoch {epoch} [{}{}] {batch}/{batches}  loss {loss:.3}  train acc {train_acc:.3}  {examples_per_s:.1} ex/s",
                    "=".repeat(done),
                    " ".repeat(width - done)
                );
                let _ = std::io::stderr().flush();
            }
            Event::WarmedUp { ms } if self.progress && ms > 1000.0 => {
                eprintln!("\r\x1b[2Kfirst step: {:.1} s (compiling kernels)", ms / 1000.0);
            }
            Event::Evaluating { epoch } if self.progress => {
                eprint!("\r\x1b[2Kepoch {epoch}: evaluating on the test set…");
                let _ = std::io::stderr().flush();
            }
            Event::Epoch { report } => {
                if self.progress {
                    eprint!("\r\x1b[2K");
                }
                match self.json {
                    true => println!("{}", serde_json::to_string(&report).expect("a report serialises")),
                    false => {
                        println!("{}", report.book_line());
                        if let Some(line) = self.norms_line() {
                            println!("{line}");
                        }
                    }
                }
            }
            _ => {}
        }
        Control::Continue
    }
}

fn train(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(
        args,
        &["json", "quick", "print-config", "grad-norms"],
        &[
            "arch",
            "epochs",
            "lr",
            "batch",
            "resize",
            "ratio",
            "config",
            "edit",
            "preset",
            "optimizer",
            "weight-decay",
            "backend",
            "train-limit",
            "test-limit",
            "seed",
            "data",
            "save",
            "weights",
            "grad-norms-every",
        ],
    )?;
    let arch = flags.arch()?;
    let mut config = match flags.has("quick") {
        true => TrainConfig::quick(arch),
        false => TrainConfig::book(arch),
    };
    let weights_file = flags.weights_file()?;
    (config.net, config.resize) = flags.net_for_weights(arch, &config, weights_file.as_ref())?;
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
    flags.gradient_view(&mut config)?;
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(UsageError(problems.join("; ")).into());
    }
    if flags.has("print-config") {
        println!("{}", serde_json::to_string(&config).expect("a config serializes"));
        return Ok(());
    }
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let (train_set, test_set) = load_data(&flags.data_dir())?;
    let device = device(kind)?;
    let mut host = Terminal {
        start: Instant::now(),
        json: flags.has("json"),
        progress: std::io::stderr().is_terminal(),
        weighted_layers: vec![],
        norm_sums: vec![],
        norm_steps: 0,
    };
    // Loaded before the run, so the file's bytes are not held through it.
    let start = weights_file
        .map(|file| file.load(&config.net, config.resize, &device))
        .transpose()?;
    let run = async {
        match start {
            Some(model) => {
                training::train_from(
                    model,
                    &config,
                    &train_set,
                    &test_set,
                    &device,
                    kind.id(),
                    &mut host,
                )
                .await
            }
            None => training::train(&config, &train_set, &test_set, &device, kind.id(), &mut host).await,
        }
        .map_err(|e| Failure::Run(e.to_string()))
    };
    let outcome = pollster::block_on(run)?;
    if let Some(path) = flags.value("save") {
        let results = outcome.history.last().map(weights::Results::of);
        let about = weights::About::of_run(&config, results, &weights::trained(outcome.history.len()));
        let bytes = weights::to_bytes(&outcome.model, &about).map_err(|e| Failure::Run(e.to_string()))?;
        std::fs::write(path, bytes).map_err(|e| Failure::Run(format!("cannot write {path}: {e}")))?;
        eprintln!("cnnp: weights saved to {path}");
    }
    // The book's closing look at the test set: which classes it confuses.
    if let (false, Some(last)) = (flags.has("json"), outcome.history.last()) {
        print!("{}", confusion_table(&last.confusion));
    }
    match outcome.ending.message() {
        Some(message) if matches!(outcome.ending, training::Ending::Diverged { .. }) => {
            Err(Failure::Run(message))
        }
        Some(message) => {
            eprintln!("cnnp: {message}");
            Ok(())
        }
        None => Ok(()),
    }
}

/// The confusion matrix as text: a row per true class, a column per
/// predicted one, and each class's accuracy.
fn confusion_table(confusion: &training::Confusion) -> String {
    use cnn_playground::data::CLASS_NAMES;
    let mut text = format!(
        "\ntest set, true class (rows) by predicted class (columns):\n{:>11}",
        ""
    );
    for name in CLASS_NAMES {
        text += &format!(" {:>8.8}", name);
    }
    text += "  accuracy\n";
    for (class, row) in confusion.counts.iter().enumerate() {
        text += &format!("{:>11}", CLASS_NAMES[class]);
        for count in row {
            text += &format!(" {count:>8}");
        }
        let accuracy = confusion
            .class_accuracy(class)
            .map_or("-".to_string(), |a| format!("{a:.3}"));
        text += &format!("  {accuracy:>8}\n");
    }
    text + &format!(
        "{} of {} right: test acc {:.3}\n",
        confusion.correct(),
        confusion.total(),
        confusion.accuracy()
    )
}

fn bench(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(
        args,
        &["json", "profile", "grad-norms"],
        &[
            "arch",
            "backend",
            "batch",
            "steps",
            "resize",
            "ratio",
            "config",
            "edit",
            "preset",
            "readback-every",
            "data",
            "conv",
            "grad-norms-every",
        ],
    )?;
    let arch = flags.arch()?;
    let kind = flags.backend(None)?;
    let conv = flags.value("conv").unwrap_or("ours");
    match conv {
        "ours" => cnn_playground::kernels::use_our_kernels(true),
        "burn" => cnn_playground::kernels::use_our_kernels(false),
        other => return Err(UsageError(format!("--conv: '{other}' is not one of ours|burn")).into()),
    }
    let mut config = TrainConfig::book(arch);
    config.net = flags.net(arch, config.net)?;
    config.batch_size = flags.number("batch", 1, 60_000)?.unwrap_or(config.batch_size);
    config.resize = flags.resize(arch, config.resize)?;
    flags.gradient_view(&mut config)?;
    let steps = flags.number("steps", 1, 100_000)?.unwrap_or(20);
    let readback_every = flags.number("readback-every", 1, 100_000)?.unwrap_or(1);
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(UsageError(problems.join("; ")).into());
    }
    let (train_set, _) = load_data(&flags.data_dir())?;
    let device = device(kind)?;
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    if flags.has("profile") {
        return profile(&config, &device, steps, flags.has("json"));
    }
    let report = pollster::block_on(training::bench(
        &config,
        &train_set,
        &device,
        steps,
        readback_every,
        clock,
        || {},
    ))
    .map_err(|e| Failure::Run(e.to_string()))?;
    match flags.has("json") {
        true => println!(
            "{}",
            serde_json::json!({
                "engine": "cnnp",
                "arch": arch.id(),
                "backend": kind.id(),
                "conv": conv,
                "batch": config.batch_size,
                "resize": config.resize,
                "steps": steps,
                "readback_every": readback_every,
                "grad_norms": config.grad_norms,
                "warmup_s": report.warmup_s,
                "examples_per_s": report.examples_per_s,
                "final_loss": report.final_loss,
                "host_ms_per_step": report.host_ms_per_step,
            })
        ),
        false => println!(
            "{} on {} ({} kernels), batch {} at {}×{}: first step {:.2} s (warm-up), then {:.1} examples/sec over {} steps (loss read every {}), final loss {:.3}",
            arch.title(),
            kind.id(),
            conv,
            config.batch_size,
            config.resize,
            config.resize,
            report.warmup_s,
            report.examples_per_s,
            steps,
            readback_every,
            report.final_loss
        ),
    }
    Ok(())
}

/// `cnnp bench --profile`: each top-level layer on its own, forward and
/// backward, `reps` times.
fn profile(
    config: &TrainConfig,
    device: &burn::tensor::Device,
    reps: usize,
    json: bool,
) -> Result<(), Failure> {
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    let layers = pollster::block_on(training::profile_layers(config, device, reps, clock))
        .map_err(|e| Failure::Run(e.to_string()))?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "arch": config.net.arch().id(), "batch": config.batch_size, "layers": layers })
        );
        return Ok(());
    }
    println!("{:<40} {:>12} {:>12}", "layer", "forward ms", "backward ms");
    for layer in &layers {
        println!(
            "{:<40} {:>12.2} {:>12.2}",
            layer.layer, layer.forward_ms, layer.backward_ms
        );
    }
    let total: f64 = layers.iter().map(|l| l.forward_ms + l.backward_ms).sum();
    println!("{:<40} {:>25.2}", "all layers", total);
    Ok(())
}

/// A `--weights` file: its bytes, read once, and what it says of itself.
struct WeightsFile {
    path: String,
    bytes: Vec<u8>,
    about: Option<weights::About>,
}

impl WeightsFile {
    fn read(path: &str) -> Result<WeightsFile, Failure> {
        let bytes = std::fs::read(path).map_err(|e| Failure::Run(format!("cannot read {path}: {e}")))?;
        let about = weights::read_about(&bytes).map_err(|e| Failure::Run(format!("{path}: {e}")))?;
        Ok(WeightsFile {
            path: path.to_string(),
            bytes,
            about,
        })
    }

    /// The weights as `net` at `side`, on `device` with autodiff (to train
    /// on).
    fn load(
        &self,
        net: &NetConfig,
        side: usize,
        device: &burn::tensor::Device,
    ) -> Result<cnn_playground::model::Net, Failure> {
        weights::from_bytes(&self.bytes, net, side, &device.clone().autodiff())
            .map(|(model, _)| model)
            .map_err(|e| Failure::Run(format!("{}: {e}", self.path)))
    }
}

/// `cnnp config`: the net's description as JSON, for `--config FILE`.
fn config(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(args, &[], &["arch", "ratio", "config", "edit", "preset"])?;
    let arch = flags.arch()?;
    let net = flags.net(arch, NetConfig::default_for(arch))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&net).expect("a net description serialises")
    );
    Ok(())
}

/// `cnnp eval`: a weights file's test loss, accuracy and confusion matrix.
fn eval(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(
        args,
        &["json"],
        &[
            "arch",
            "weights",
            "resize",
            "ratio",
            "config",
            "edit",
            "preset",
            "test-limit",
            "backend",
            "data",
        ],
    )?;
    let arch = flags.arch()?;
    let file = flags
        .weights_file()?
        .ok_or_else(|| UsageError("--weights FILE: the weights to evaluate".to_string()))?;
    let book = TrainConfig::book(arch);
    let (net, side) = flags.net_for_weights(arch, &book, Some(&file))?;
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let device = device(kind)?;
    let model = file.load(&net, side, &device)?;
    let WeightsFile { path, about, .. } = file;
    let (_, test_set) = load_data(&flags.data_dir())?;
    let test_set = test_set.truncated(flags.number("test-limit", 1, 10_000)?.unwrap_or(usize::MAX));
    let evaluation = pollster::block_on(training::evaluate(
        &model,
        &test_set,
        &data::Resize::to(side),
        book.batch_size,
        &device,
        kind.id(),
    ))
    .map_err(|e| Failure::Run(e.to_string()))?;
    let confusion = &evaluation.confusion;
    if flags.has("json") {
        let object = serde_json::json!({
            "arch": arch.id(),
            "weights": path,
            "about": about,
            "resize": side,
            "test_loss": evaluation.loss,
            "test_acc": confusion.accuracy(),
            "images": confusion.total(),
            "confusion": confusion,
        });
        println!("{object}");
    } else {
        if let Some(about) = &about {
            println!("{path}: {}", about.description);
        }
        println!(
            "test loss {:.3}, test acc {:.3} on {} images",
            evaluation.loss,
            confusion.accuracy(),
            confusion.total()
        );
        print!("{}", confusion_table(confusion));
    }
    Ok(())
}

/// `cnnp features`: one row's output for one test image, per channel.
fn features(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(
        args,
        &["json"],
        &[
            "arch", "image", "layer", "resize", "ratio", "config", "edit", "preset", "seed", "backend",
            "data", "weights",
        ],
    )?;
    let arch = flags.arch()?;
    let mut config = TrainConfig::book(arch);
    let weights_file = flags.weights_file()?;
    (config.net, config.resize) = flags.net_for_weights(arch, &config, weights_file.as_ref())?;
    config.seed = flags.number("seed", 0, usize::MAX)?.unwrap_or(0) as u64;
    let index = flags
        .number("image", 0, usize::MAX)?
        .ok_or_else(|| UsageError("--image I: which test image (from 0)".to_string()))?;
    let layer_text = flags
        .value("layer")
        .ok_or_else(|| UsageError("--layer L: which row of the table (3, or 3.2 inside it)".to_string()))?;
    let layer = cnn_playground::shape::parse_row_path(layer_text).map_err(UsageError)?;
    let side = config.resize;
    let table = config.shape_table(1).map_err(|e| {
        UsageError(format!(
            "a {side}×{side} input does not fit {}: {e}",
            arch.title()
        ))
    })?;
    let row = table.row_at(&layer).ok_or_else(|| {
        UsageError(format!(
            "{} has no row {layer_text} (`cnnp shapes --arch {} --expand` lists them)",
            arch.title(),
            arch.id()
        ))
    })?;
    let (_, test_set) = load_data(&flags.data_dir())?;
    if index >= test_set.len() {
        return Err(UsageError(format!(
            "--image {index}: the test set has {} images (0 to {})",
            test_set.len(),
            test_set.len() - 1
        ))
        .into());
    }
    let kind = flags.backend(Some(BackendKind::Cpu))?;
    let device = device(kind)?;
    let (model, weights) = match weights_file {
        Some(file) => (file.load(&config.net, side, &device)?, file.path),
        None => (
            training::init_model(&config, &device.clone().autodiff())
                .map_err(|e| Failure::Run(e.to_string()))?,
            format!("untrained (seed {})", config.seed),
        ),
    };
    let batch = test_set.batch(&[index], &data::Resize::to(side));
    let image = training::image_tensor(&batch, &device);
    let seen = pollster::block_on(training::look_inside(&model, image, &layer, kind.id()))
        .map_err(|e| Failure::Run(e.to_string()))?;
    let label = test_set.label(index) as usize;
    let channels = seen.channel_stats();
    if flags.has("json") {
        let channels: Vec<_> = channels
            .iter()
            .map(|c| serde_json::json!({"min": c.min, "max": c.max, "mean": c.mean}))
            .collect();
        let object = serde_json::json!({
            "arch": arch.id(),
            "resize": side,
            "seed": config.seed,
            "weights": weights,
            "image": index,
            "label": label,
            "class": data::CLASS_NAMES[label],
            "layer": layer_text,
            "row": {"name": row.name, "settings": row.settings},
            "shape": seen.shape,
            "channels": channels,
            "probabilities": seen.probabilities,
            "predicted": seen.predicted(),
        });
        println!("{object}");
        return Ok(());
    }
    println!(
        "{}, {weights}, test image {index} ({}), {side}×{side}: row {layer_text} {} ({}) outputs {}",
        arch.title(),
        data::CLASS_NAMES[label],
        row.name,
        row.settings,
        cnn_playground::format::shape(&seen.shape)
    );
    println!("{:>8} {:>10} {:>10} {:>10}", "channel", "min", "max", "mean");
    for (c, stats) in channels.iter().enumerate() {
        println!(
            "{c:>8} {:>10.4} {:>10.4} {:>10.4}",
            stats.min, stats.max, stats.mean
        );
    }
    let probabilities: Vec<String> = seen
        .probabilities
        .iter()
        .enumerate()
        .map(|(class, p)| format!("{} {p:.3}", data::CLASS_NAMES[class]))
        .collect();
    println!("probabilities: {}", probabilities.join(", "));
    println!("predicted: {}", data::CLASS_NAMES[seen.predicted()]);
    Ok(())
}

fn run(args: &[String]) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        Some("shapes") => Ok(shapes(&args[1..])?),
        Some("train") => train(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("features") => features(&args[1..]),
        Some("eval") => eval(&args[1..]),
        Some("config") => config(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{HELP}");
            Ok(())
        }
        Some(other) => Err(UsageError(format!(
            "unknown command '{other}'; accepted: shapes|train|eval|bench|features|config|help"
        ))
        .into()),
        None => Err(UsageError(USAGE.to_string()).into()),
    }
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(UsageError(message))) => {
            eprintln!("cnnp: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("cnnp: {message}");
            ExitCode::from(1)
        }
    }
}
