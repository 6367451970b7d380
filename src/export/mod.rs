//! Leave the tab: the form's net and run as the book's own PyTorch code,
//! a script or a notebook of the same cells, that trains on one GPU or
//! many (`torchrun`), reads our weights files and writes ones the page loads.
//!
//! The net is written the way the book writes it, per net (`nets/`), with
//! the form's edits as values; data, `train_ch6`, weights files and the
//! command line are Python kept as Python (`py/`), around the settings the
//! form fills in (`program`). Plain text from plain data, without Burn: the
//! page, built without the `train` feature, calls [`python_script`] and
//! [`notebook`] as the command line (`cnnp export`) does.

mod nets;
mod notebook;
mod program;
mod python;

use crate::arch::NetIo;
use crate::training::TrainConfig;

/// Where the exported code reads its images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataChoice {
    /// The four Fashion-MNIST files as published (gzip IDX), in this
    /// folder: the script's default `--data`.
    FashionMnist { dir: String },
}

impl Default for DataChoice {
    /// A folder beside the script, where the page's reader puts the files.
    fn default() -> Self {
        DataChoice::FashionMnist {
            dir: "fashion-mnist".to_string(),
        }
    }
}

/// A script to run (`python`, `torchrun`) or a notebook of the same cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Script,
    Notebook,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Script, Format::Notebook];

    /// Its file extension, which `cnnp export --format` takes.
    pub fn id(self) -> &'static str {
        match self {
            Format::Script => "py",
            Format::Notebook => "ipynb",
        }
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.id() == id)
    }
}

/// Why a run cannot be exported: the problems its settings have, each
/// naming the setting (as the page shows them before Train).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("cannot export: {}", .0.join("; "))]
pub struct ExportError(pub Vec<String>);

/// The channels and classes of `config`'s net when they are not
/// Fashion-MNIST's (1, 10): the export reads Fashion-MNIST only, so it
/// refuses such a net rather than write a script for another.
pub fn other_data(config: &TrainConfig) -> Option<NetIo> {
    let io = config.net.io();
    (io != NetIo::default()).then_some(io)
}

/// The run `config` as a self-contained PyTorch script: the net as the
/// book writes it, its shape printout (`--shapes`), Fashion-MNIST from
/// `data`, the book's `train_ch6` on one process or under `torchrun`, our
/// weights files in and out; the form's settings as its defaults.
pub fn python_script(config: &TrainConfig, data: &DataChoice) -> Result<String, ExportError> {
    Ok(program::Program::of(config, data)?.script())
}

/// The same code as a Jupyter notebook (nbformat 4, JSON): a cell per
/// part, with the shape printout after the net and the run at the end.
pub fn notebook(config: &TrainConfig, data: &DataChoice) -> Result<String, ExportError> {
    Ok(notebook::to_json(&program::Program::of(config, data)?))
}

/// `python_script` or `notebook`, as `format` says.
pub fn export(config: &TrainConfig, data: &DataChoice, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Script => python_script(config, data),
        Format::Notebook => notebook(config, data),
    }
}

/// What to call the file: `lenet.py`, `resnet.ipynb`.
pub fn file_name(config: &TrainConfig, format: Format) -> String {
    format!("{}.{}", config.net.arch().id(), format.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, edit};

    fn script(config: &TrainConfig) -> String {
        python_script(config, &DataChoice::default()).expect("a book run exports")
    }

    /// `config` with `preset`'s net and input size.
    fn with_preset(arch: Arch, id: &str) -> TrainConfig {
        let preset = edit::preset(id).expect("a preset");
        TrainConfig {
            net: preset.net.clone(),
            resize: preset.resize.unwrap_or(TrainConfig::book(arch).resize),
            ..TrainConfig::book(arch)
        }
    }

    #[test]
    fn a_net_for_other_data_is_refused_not_written_for_fashion_mnist() {
        let mut config = TrainConfig::book(Arch::LeNet);
        config.net = config.net.with_io(crate::arch::NetIo {
            in_channels: 3,
            classes: 5,
        });
        let error = python_script(&config, &DataChoice::default()).expect_err("Fashion-MNIST only");
        assert!(
            error
                .to_string()
                .contains("Fashion-MNIST only (1 channel, 10 classes), not 3 channel(s) and 5 classes"),
            "{error}"
        );
    }

    #[test]
    fn every_net_exports_the_books_shape_with_its_settings_as_defaults() {
        for arch in Arch::ALL {
            let config = TrainConfig::book(arch);
            let text = script(&config);
            for line in [
                "\nnet = ".to_string(),
                "\nif __name__ == \"__main__\":\n    main()\n".to_string(),
                "\ndef train_ch6(net, train, test, args, device, rank=0, world=1):".to_string(),
                "            print(layer.__class__.__name__, 'output shape:\\t', X.shape)".to_string(),
                "        nn.init.xavier_uniform_(m.weight)".to_string(),
                format!("\nEPOCHS = {}\n", config.epochs),
                format!("\nBATCH_SIZE = {}  # global", config.batch_size),
                format!("\nLR = {:?}\n", config.lr),
                format!("\nRESIZE = {}  #", config.resize),
                "\nDATA_DIR = \"fashion-mnist\"".to_string(),
                format!("torchrun --nproc_per_node 4 {}.py --data DIR", arch.id()),
            ] {
                assert!(text.contains(&line), "{arch:?}: no {line:?}");
            }
            for flag in [
                "--shapes",
                "--data",
                "--epochs",
                "--batch",
                "--lr",
                "--train-limit",
                "--test-limit",
                "--device",
                "--weights",
                "--save",
            ] {
                assert!(
                    text.contains(&format!("parser.add_argument(\"{flag}\"")),
                    "{arch:?}: no {flag}"
                );
            }
            // Self-contained: torch and Python's own library only.
            let imports: Vec<&str> = text
                .lines()
                .filter(|line| line.starts_with("import ") || line.starts_with("from "))
                .collect();
            let standard = [
                "argparse",
                "ctypes",
                "functools",
                "gzip",
                "json",
                "math",
                "os",
                "struct",
                "sys",
                "time",
            ];
            for line in &imports {
                let module = line.split_whitespace().nth(1).unwrap();
                assert!(
                    module == "torch" || module.starts_with("torch.") || standard.contains(&module),
                    "{arch:?}: {line}"
                );
            }
        }
    }

    #[test]
    fn each_net_is_written_with_the_books_own_helpers() {
        let helper = |arch| match arch {
            Arch::LeNet | Arch::AlexNet | Arch::BnLeNet => "net = nn.Sequential(\n",
            Arch::Vgg => "def vgg_block(num_convs, in_channels, out_channels):",
            Arch::NiN => "def nin_block(in_channels, out_channels, kernel_size, strides, padding):",
            Arch::GoogLeNet => "class Inception(nn.Module):",
            Arch::ResNet => "class Residual(nn.Module):",
            Arch::DenseNet => "class DenseBlock(nn.Module):",
        };
        for arch in Arch::ALL {
            assert!(
                script(&TrainConfig::book(arch)).contains(helper(arch)),
                "{arch:?}"
            );
        }
        let lenet = script(&TrainConfig::book(Arch::LeNet));
        assert!(lenet.contains("    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),\n"));
        assert!(lenet.contains("    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),\n"));
        let vgg = script(&TrainConfig::book(Arch::Vgg));
        assert!(vgg.contains("conv_arch = ((1, 64), (1, 128), (2, 256), (2, 512), (2, 512))\n"));
        assert!(vgg.contains("ratio = 4\nsmall_conv_arch = "));
        assert!(vgg.contains("nn.Linear(out_channels * 7 * 7, 4096)"));
    }

    #[test]
    fn edits_are_written_in_as_values() {
        let relu_max = script(&with_preset(Arch::LeNet, "lenet-relu-max"));
        assert!(relu_max.contains("nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),"));
        assert!(relu_max.contains("nn.MaxPool2d(kernel_size=2, stride=2),"));
        assert!(relu_max.contains("changed from the book's: "));
        let plain = script(&with_preset(Arch::ResNet, "plain-34"));
        assert!(plain.contains("def plain_block(input_channels, num_channels, strides=1):"));
        assert!(plain.contains("b3 = nn.Sequential(*resnet_block(64, 128, 4))"));
        assert!(!plain.contains("class Residual"));
        let growth = script(&with_preset(Arch::DenseNet, "densenet-growth-16"));
        assert!(growth.contains("num_channels, growth_rate = 64, 16\n"));
        let alexnet = script(&with_preset(Arch::AlexNet, "alexnet-28"));
        assert!(alexnet.contains("\nRESIZE = 28  #"));
    }

    #[test]
    fn a_run_the_page_would_refuse_is_not_exported() {
        let config = TrainConfig {
            epochs: 0,
            ..TrainConfig::book(Arch::LeNet)
        };
        let error = python_script(&config, &DataChoice::default()).unwrap_err();
        assert_eq!(error.0.len(), 1, "{error}");
    }

    #[test]
    fn the_notebook_is_the_scripts_cells_and_trains_last() {
        let config = TrainConfig::book(Arch::GoogLeNet);
        let notebook: serde_json::Value =
            serde_json::from_str(&notebook(&config, &DataChoice::default()).unwrap()).unwrap();
        assert_eq!(notebook["nbformat"], 4);
        let cells = notebook["cells"].as_array().unwrap();
        let code: Vec<String> = cells
            .iter()
            .filter(|cell| cell["cell_type"] == "code")
            .map(|cell| {
                cell["source"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(code.last().unwrap(), "main([])");
        assert!(code.iter().any(|cell| cell == "print_shapes(net)"));
        let script = script(&config);
        for cell in code
            .iter()
            .filter(|cell| !["main([])", "print_shapes(net)"].contains(&cell.as_str()))
        {
            assert!(script.contains(cell.as_str()), "a cell the script lacks:\n{cell}");
        }
        assert_eq!(file_name(&config, Format::Notebook), "googlenet.ipynb");
        assert_eq!(Format::from_id("py"), Some(Format::Script));
        assert_eq!(Format::from_id("pdf"), None);
    }
}
