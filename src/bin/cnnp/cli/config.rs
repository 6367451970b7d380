//! `cnnp config`: the net's description as JSON, for `--config FILE`.

use cnn_playground::arch::NetConfig;

use super::CliError;
use super::flags::Flags;

pub const ABOUT: &str = "\
The net's description as JSON (as the book trains it): edit it and
pass it to shapes, train, eval, bench or features as --config FILE
(every field the page's editor has: LeNet's activation, pooling,
channels, kernel and dense widths; VGG's conv_arch; ResNet's stages,
shortcut and batch norm; ...). The page shows the same JSON.";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    let net = flags.net(arch, NetConfig::default_for(arch))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&net).expect("a net description serialises")
    );
    Ok(())
}
