//! `cnnp shapes`: a net's layer table.

use cnn_playground::arch::NetConfig;
use cnn_playground::shape::ShapeTable;

use super::flags::Flags;
use super::inputs::load_data;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
The layer table, as the book prints it (VGG at full width, ResNet at 224),
with settings, parameters, MACs and activation memory. --expand shows
every block's inner layers. --data: for the channels and classes of
that data (its class names are listed).";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let arch = flags.arch()?;
    // By default, the table as the book prints it.
    let (config, side) = arch.book_table();
    let side = flags.resize(arch, side)?;
    let mut config = flags.net(arch, config)?;
    let mut classes = None;
    if flags.value("data").is_some() || flags.has("grey") {
        let data = load_data(flags)?;
        config = config.with_io(data.io());
        classes = Some(data.classes);
    }
    let input = config.input_shape(1, side);
    let table = ShapeTable::of(&config, 1, side).map_err(|e| {
        UsageError(format!(
            "a {side}×{side} input does not fit {}: {e}",
            arch.title()
        ))
    })?;
    if flags.has("json") {
        println!("{}", shapes_json(&config, &table, classes.as_deref()));
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
        if let Some(classes) = classes {
            println!("{} classes: {}", classes.len(), classes.join(", "));
        }
    }
    Ok(())
}

fn shapes_json(config: &NetConfig, table: &ShapeTable, classes: Option<&[String]>) -> String {
    let mut object = serde_json::json!({
        "arch": config.arch().id(),
        "in_channels": config.in_channels(),
        "classes": config.classes(),
        "input": table.input,
        "layers": table.rows,
        "total_params": table.total_params,
        "total_macs": table.total_macs,
        "total_activation_bytes": table.total_activation_bytes,
    });
    if let NetConfig::Vgg(vgg) = config {
        object["ratio"] = vgg.ratio.into();
    }
    if let Some(names) = classes {
        object["class_names"] = names.into();
    }
    object.to_string()
}
