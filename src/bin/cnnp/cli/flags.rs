//! The flags, declared once: the parser and `cnnp help` both read
//! [`FLAGS`], so a new flag is one entry there (and the code that reads it).

use std::path::PathBuf;

use cnn_playground::arch::Arch;
use cnn_playground::backend::BackendKind;
use cnn_playground::bounds::Bounds;
use cnn_playground::training::TrainConfig;

use super::UsageError;
use super::command::Command::{Bench, Config, Eval, Explain, Export, Features, Shapes, Train};
use super::command::{Command, usage};

/// One flag: `--name`, or `--name VALUE` (also `--name=VALUE`).
pub struct Flag {
    pub name: &'static str,
    /// What its value is called in the help (`N`, `FILE`, `cpu|wgpu`);
    /// `None` for a switch, which takes no value.
    pub value: Option<&'static str>,
    /// The commands that accept it.
    pub commands: &'static [Command],
    /// Those of them that cannot run without it (shown unbracketed).
    pub required_by: &'static [Command],
    /// What it does, for `cnnp help`.
    pub help: &'static str,
}

impl Flag {
    const fn valued(
        name: &'static str,
        value: &'static str,
        commands: &'static [Command],
        help: &'static str,
    ) -> Flag {
        Flag {
            name,
            value: Some(value),
            commands,
            required_by: &[],
            help,
        }
    }

    const fn switch(name: &'static str, commands: &'static [Command], help: &'static str) -> Flag {
        Flag {
            name,
            value: None,
            commands,
            required_by: &[],
            help,
        }
    }

    const fn required_by(self, required_by: &'static [Command]) -> Flag {
        Flag { required_by, ..self }
    }

    pub fn accepted_by(&self, command: Command) -> bool {
        self.commands.contains(&command)
    }

    pub fn required(&self, command: Command) -> bool {
        self.required_by.contains(&command)
    }
}

/// Every command: each reads a net.
const ALL: &[Command] = &Command::ALL;
/// The commands that work at an input size.
const SIZED: &[Command] = &[Shapes, Train, Eval, Bench, Features, Explain, Export];
/// The commands that read Fashion-MNIST (export: the script does).
const ON_DATA: &[Command] = &[Train, Eval, Bench, Features, Explain, Export];
/// The commands that read data (shapes: its channels and classes).
const DATA: &[Command] = &[Shapes, Train, Eval, Bench, Features, Explain, Export];
/// The commands that look at one row for one test image.
const LOOK: &[Command] = &[Features, Explain];
/// The commands that describe a run: train, and export (the script's defaults).
const RUN: &[Command] = &[Train, Export];

/// Every flag, in the order the help lists them (a command's own line
/// lists its required ones first).
#[rustfmt::skip]
pub const FLAGS: &[Flag] = &[
    Flag::valued("arch", "A", ALL, "the net (A: below)").required_by(ALL),
    Flag::valued("image", "I", LOOK, "which test image (from 0)").required_by(LOOK),
    Flag::valued("layer", "L", LOOK, "which row of the table (3, or 3.2 inside it)").required_by(LOOK),
    Flag::valued("at", "C,Y,X", &[Explain], "which value of the row's output: channel, row, column (F: a flat row's)")
        .required_by(&[Explain]),
    Flag::valued("mode", "eval|train", &[Explain],
        "batch norm and dropout as the test accuracy is taken (eval) or as a training step runs (train)"),
    Flag::valued("epochs", "N", RUN, "how many passes over the training set"),
    Flag::valued("lr", "X", RUN, "the learning rate"),
    Flag::valued("batch", "N", &[Train, Bench, Export], "examples per step"),
    Flag::valued("steps", "N", &[Bench], "how many steps to time after the warm-up (20)"),
    Flag::valued("resize", "N", SIZED, "the input's side, in pixels"),
    Flag::valued("ratio", "R", ALL, "VGG's width ratio: every layer's channels divided by R"),
    Flag::valued("optimizer", "sgd|momentum|adam", RUN, "the optimiser (sgd, as the book)"),
    Flag::valued("weight-decay", "X", RUN, "the L2 penalty on the weights (0)"),
    Flag::valued("backend", "cpu|wgpu", ON_DATA, "where the tensors live (cpu)").required_by(&[Bench]),
    Flag::valued("conv", "ours|burn", &[Bench], "whose kernels run (ours)"),
    Flag::valued("readback-every", "K", &[Bench], "read the loss back every Kth step (1)"),
    Flag::valued("train-limit", "N", RUN, "train on the first N training images only"),
    Flag::valued("test-limit", "N", &[Train, Eval, Export], "test on the first N test images only"),
    Flag::valued("seed", "S", &[Train, Features, Explain, Export], "the seed of the initial weights and the shuffle (0)"),
    Flag::switch("profile", &[Bench], "time each layer of the table on its own instead"),
    Flag::switch("launches", &[Bench],
        "wgpu: list the launches of our kernels in one training step after the warm-up, with the \
         parallelism each exposes (workgroups, invocations, work per invocation)"),
    Flag::valued("tiles", "gpu|software", &[Bench],
        "wgpu: shape our kernels' tiles for a GPU or a software renderer (else as the adapter is)"),
    Flag::valued("data", "DIR", DATA,
        "the data: a folder of IDX files (Fashion-MNIST, MNIST, EMNIST…; classes.txt names the \
         classes), a folder of class folders of images (root/<class>/<image>, optional train/ and \
         test/; else 80/20 by class), or a zip of one (else $CNNP_DATA, else \
         assets/fashion-mnist; export: the folder the script reads by default, else fashion-mnist)"),
    Flag::switch("grey", &[Shapes, Train, Eval, Bench, Features, Explain],
        "colour images as grey levels (one input channel)"),
    Flag::switch("expand", &[Shapes], "every block's inner layers too"),
    Flag::switch("json", &[Shapes, Train, Eval, Bench, Features, Explain], "JSON instead of text"),
    Flag::switch("quick", RUN, "the page's quick setting instead of the book's"),
    Flag::switch("print-config", &[Train], "print the run's settings as the worker takes them, and stop"),
    Flag::valued("save", "FILE", &[Train], "write the trained weights there"),
    Flag::valued("weights", "FILE", &[Train, Eval, Features, Explain],
        "a weights file (ours, or saved from the book's PyTorch net)").required_by(&[Eval]),
    Flag::valued("config", "FILE", ALL, "the net's description, as `cnnp config` prints it"),
    Flag::valued("preset", "P", ALL,
        "one of the book's exercises for the net (lenet-relu-max, alexnet-28, vgg-13, vgg-16, vgg-19, \
         nin-one, googlenet-half, bn-after, bn-convs-only, resnet-34, plain-34, deep-plain, \
         deep-residual, densenet-growth-16), with its input size"),
    Flag::valued("edit", "E", ALL,
        "the page's link form of edits, e.g. 'act-relu~pool-max' (as in its URL's edit=)"),
    Flag::switch("grad-norms", &[Train, Bench],
        "measure each weighted layer's weight-gradient norm at every step: train prints the \
         epoch's means of the first and last layers, or with --json a 'gradients' line per step \
         after a 'started' line naming the layers"),
    Flag::valued("grad-norms-every", "N", &[Train, Bench], "with --grad-norms: measure every Nth step (1)"),
    Flag::valued("format", "py|ipynb", &[Export], "a PyTorch script or a Jupyter notebook")
        .required_by(&[Export]),
    Flag::valued("out", "FILE", &[Export], "write there instead of to the standard output"),
    Flag::valued("logits", "N", &[Eval],
        "print the logits of the first N test images as JSON instead (what PyTorch's net gives)"),
    Flag::switch("presets", &[Config], "list the net's presets (the book's exercises), an id a line"),
];

/// The flags `command` accepts, as a message lists them.
fn accepted(command: Command) -> String {
    let names: Vec<String> = FLAGS
        .iter()
        .filter(|flag| flag.accepted_by(command))
        .map(|flag| format!("--{}", flag.name))
        .collect();
    names.join(", ")
}

/// The flags after the command, as given: each declared one's name, with
/// its value unless it is a switch.
pub struct Flags {
    command: Command,
    given: Vec<(&'static str, Option<String>)>,
}

impl Flags {
    /// Reads `args` as `command`'s flags.
    pub fn parse(args: &[String], command: Command) -> Result<Flags, UsageError> {
        let mut given = vec![];
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (arg.as_str(), None),
            };
            let Some(name) = name.strip_prefix("--") else {
                return Err(UsageError(format!("unexpected argument '{arg}'; {}", usage())));
            };
            let Some(flag) = FLAGS
                .iter()
                .find(|flag| flag.name == name && flag.accepted_by(command))
            else {
                return Err(UsageError(format!(
                    "unknown flag '--{name}'; accepted: {}",
                    accepted(command)
                )));
            };
            let value = match (flag.value, inline) {
                (None, _) => None,
                (Some(_), Some(value)) => Some(value),
                (Some(_), None) => Some(
                    iter.next()
                        .cloned()
                        .ok_or_else(|| UsageError(format!("--{name} needs a value")))?,
                ),
            };
            given.push((flag.name, value));
        }
        Ok(Flags { command, given })
    }

    /// Whether `name` is one of the command's flags: reading any other is
    /// a slip in this code, not in the command line.
    fn declared(&self, name: &str) -> bool {
        FLAGS
            .iter()
            .any(|flag| flag.name == name && flag.accepted_by(self.command))
    }

    pub fn has(&self, name: &str) -> bool {
        debug_assert!(
            self.declared(name),
            "--{name} is not a flag of {:?}",
            self.command
        );
        self.given.iter().any(|(flag, _)| *flag == name)
    }

    /// The value given last for `name`, if any.
    pub fn value(&self, name: &str) -> Option<&str> {
        debug_assert!(
            self.declared(name),
            "--{name} is not a flag of {:?}",
            self.command
        );
        self.given
            .iter()
            .rev()
            .find(|(flag, _)| *flag == name)
            .and_then(|(_, value)| value.as_deref())
    }

    pub fn arch(&self) -> Result<Arch, UsageError> {
        let id = self
            .value("arch")
            .ok_or_else(|| UsageError(format!("--arch is required; accepted: {}", Arch::ids())))?;
        Arch::from_id(id).ok_or_else(|| UsageError(format!("unknown arch '{id}'; accepted: {}", Arch::ids())))
    }

    /// A whole number in `min..=max`, when given.
    pub fn number(&self, name: &str, min: usize, max: usize) -> Result<Option<usize>, UsageError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        Bounds::new(min, max)
            .parse(text)
            .map(Some)
            .map_err(|e| UsageError(format!("--{name} takes {e}")))
    }

    /// A finite number in `min..=max`, when given.
    pub fn real(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, UsageError> {
        let Some(text) = self.value(name) else {
            return Ok(None);
        };
        Bounds::new(min, max)
            .parse(text)
            .map(Some)
            .map_err(|e| UsageError(format!("--{name} takes {e}")))
    }

    pub fn backend(&self, default: Option<BackendKind>) -> Result<BackendKind, UsageError> {
        match (self.value("backend"), default) {
            (None, Some(kind)) => Ok(kind),
            (None, None) => Err(UsageError(
                "--backend is required; accepted: cpu|wgpu".to_string(),
            )),
            (Some(id), _) => BackendKind::from_id(id)
                .ok_or_else(|| UsageError(format!("unknown backend '{id}'; accepted: cpu|wgpu"))),
        }
    }

    /// `--grad-norms [--grad-norms-every N]` into `config`.
    pub fn gradient_view(&self, config: &mut TrainConfig) -> Result<(), UsageError> {
        config.grad_norms = self.has("grad-norms");
        config.grad_norms_every = self.number("grad-norms-every", 1, 100_000)?.unwrap_or(1);
        Ok(())
    }

    pub fn data_dir(&self) -> PathBuf {
        match self.value("data") {
            Some(dir) => PathBuf::from(dir),
            None => std::env::var_os("CNNP_DATA")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/fashion-mnist")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(command: Command, args: &[&str]) -> Result<Flags, String> {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        Flags::parse(&args, command).map_err(|UsageError(message)| message)
    }

    #[test]
    fn values_come_spaced_or_inline_and_the_last_one_counts() {
        let flags = parse(
            Train,
            &["--arch", "lenet", "--epochs=3", "--json", "--epochs", "4"],
        )
        .unwrap();
        assert_eq!(flags.value("arch"), Some("lenet"));
        assert_eq!(flags.number("epochs", 1, 10).unwrap(), Some(4));
        assert!(flags.has("json"));
        assert!(!flags.has("quick"));
        // A switch ignores an inline value, as it always did.
        assert!(parse(Shapes, &["--json=yes"]).unwrap().has("json"));
    }

    #[test]
    fn a_flag_of_another_command_is_refused_with_this_ones_list() {
        let message = parse(Command::Config, &["--arch", "vgg", "--json"])
            .err()
            .unwrap();
        assert_eq!(
            message,
            "unknown flag '--json'; accepted: --arch, --ratio, --config, --preset, --edit, --presets"
        );
        assert_eq!(parse(Eval, &["--arch"]).err().unwrap(), "--arch needs a value");
        assert!(
            parse(Eval, &["lenet"])
                .err()
                .unwrap()
                .starts_with("unexpected argument 'lenet'; usage: cnnp shapes|")
        );
    }

    #[test]
    fn the_table_names_each_flag_once_and_requires_only_what_it_accepts() {
        for (i, flag) in FLAGS.iter().enumerate() {
            assert!(
                FLAGS[i + 1..].iter().all(|other| other.name != flag.name),
                "--{} twice",
                flag.name
            );
            assert!(!flag.commands.is_empty(), "--{} belongs to no command", flag.name);
            for command in flag.required_by {
                assert!(
                    flag.accepted_by(*command),
                    "--{} required by {command:?}",
                    flag.name
                );
            }
        }
    }

    #[test]
    fn numbers_out_of_bounds_say_which_flag() {
        let flags = parse(Train, &["--epochs", "0", "--lr", "nan"]).unwrap();
        assert!(
            flags
                .number("epochs", 1, 10)
                .err()
                .unwrap()
                .0
                .starts_with("--epochs takes ")
        );
        assert!(
            flags
                .real("lr", 1e-9, 100.0)
                .err()
                .unwrap()
                .0
                .starts_with("--lr takes ")
        );
    }
}
