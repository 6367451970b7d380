//! `cnnp explain`: how row L computes its value at C,Y,X for one test
//! image — the window, kernel, products and sum (or the pooling window,
//! batch norm's statistics, the dense layer's largest products…).

use cnn_playground::i18n::explain::num;
use cnn_playground::i18n::{Lang, Say};
use cnn_playground::training::explain::{ChannelWindow, ExplainMode, Explained, Explainer, How, Position};

use super::features::Target;
use super::flags::Flags;
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
How row L of the table (numbered as `shapes --expand` does) computes
the value at C,Y,X of its output (channel, row, column; F alone for a
flat row) for test image I: a convolution's window of every input
channel, its kernel, the products, their sum and the bias; a pooling
window and its max or mean; batch norm's mean, variance, epsilon, gamma
and beta; a dense layer's largest products; a block's parts. The last
line checks the arithmetic against the net's own output. --mode train
uses the picture's own batch norm statistics and drops out, as a
training step does (eval, the default, as the test accuracy is taken).";

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let at_text = flags
        .value("at")
        .ok_or_else(|| UsageError("--at C,Y,X: which value of the row's output".to_string()))?;
    let at = Position::parse(at_text).ok_or_else(|| {
        UsageError(format!(
            "--at {at_text}: give C,Y,X (or F for a flat row), numbers from 0"
        ))
    })?;
    let mode = match flags.value("mode") {
        None => ExplainMode::Eval,
        Some(id) => ExplainMode::from_id(id)
            .ok_or_else(|| UsageError(format!("--mode {id}: accepted: eval|train")))?,
    };
    let target = Target::read(flags)?;
    let explainer = Explainer::new(&target.model, target.tensor.clone(), mode, Some(target.label));
    let explained = pollster::block_on(explainer.explain(&target.layer, at, target.backend.id()))
        .map_err(|e| CliError::Run(e.to_string()))?;
    match flags.has("json") {
        true => print_json(&target, &explained),
        false => print_text(&target, &explained),
    }
    Ok(())
}

fn print_json(target: &Target, explained: &Explained) {
    let mut object = target.json();
    object["explanation"] = serde_json::json!(explained.explanation);
    object["computed"] = serde_json::json!(explained.explanation.computed());
    println!("{object}");
}

fn print_text(target: &Target, explained: &Explained) {
    let explanation = &explained.explanation;
    println!("{}", target.headline());
    println!("{}", explanation.say(Lang::En));
    print_grids(&explanation.how);
    println!(
        "the net's output there: {}; the arithmetic above: {}",
        num(explanation.value),
        num(explanation.computed())
    );
}

/// The k×k grids behind a convolution's or a pooling's value: window
/// (padding as ·), kernel and products, channel by channel.
fn print_grids(how: &How) {
    match how {
        How::Conv(conv) => {
            for channel in &conv.detail {
                print_channel(channel, conv.kernel);
            }
        }
        How::Pool(pool) if pool.kernel[0] > 0 => {
            println!("window of channel {}:", pool.channel);
            print_grid(&pool.window, Some(&pool.padding_cells), pool.kernel[1]);
        }
        How::Sequence(sequence) => print_grids(&sequence.last.how),
        _ => {}
    }
}

fn print_channel(channel: &ChannelWindow, kernel: usize) {
    println!("input channel {}: window", channel.channel);
    print_grid(&channel.window, Some(&channel.padding), kernel);
    println!("kernel");
    print_grid(&channel.kernel, None, kernel);
    println!("products (sum {})", num(channel.sum));
    print_grid(&channel.products, None, kernel);
}

fn print_grid(values: &[f32], padding: Option<&[bool]>, width: usize) {
    for (row, cells) in values.chunks(width.max(1)).enumerate() {
        let line: Vec<String> = cells
            .iter()
            .enumerate()
            .map(
                |(col, &value)| match padding.is_some_and(|pads| pads[row * width + col]) {
                    true => format!("{:>9}", "·"),
                    false => format!("{:>9}", num(value)),
                },
            )
            .collect();
        println!("  {}", line.join(""));
    }
}
