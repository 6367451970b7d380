//! `cnnp config`: the net's description as JSON, for `--config FILE`.

use cnn_playground::arch::{NetConfig, edit};

use super::CliError;
use super::flags::Flags;

pub const ABOUT: &str = "\
The net's description as JSON (as the book trains it): edit it and
pass it to shapes, train, eval, bench, features or explain as --config FILE
(every field the page's editor has: LeNet's activation, pooling,
channels, kernel and dense widths; VGG's conv_arch; ResNet's stages,
shortcut and batch norm; ...). The page shows the same JSON.
--presets lists the net's presets (the book's exercises) instead.";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    if flags.has("presets") {
        for preset in edit::presets(arch) {
            println!("{}", preset.id);
        }
        return Ok(());
    }
    let net = flags.net(arch, NetConfig::default_for(arch))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&net).expect("a net description serialises")
    );
    Ok(())
}
