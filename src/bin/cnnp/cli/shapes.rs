//! `cnnp shapes`: a net's layer table.

use cnn_playground::arch::{INPUT_CHANNELS, NetConfig};
use cnn_playground::shape::ShapeTable;

use super::UsageError;
use super::flags::Flags;

pub const ABOUT: &str = "\
The layer table, as the book prints it (VGG at full width, ResNet at 224),
with settings, parameters, MACs and activation memory. --expand shows
every block's inner layers.";

pub fn run(flags: &Flags) -> Result<(), UsageError> {
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
