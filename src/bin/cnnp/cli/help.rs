//! `cnnp help`: each command's line, written from the flag table, with what
//! the command does; then each flag's help line.

use cnn_playground::arch::Arch;
use cnn_playground::format::wrap;

use super::command::Command;
use super::flags::{FLAGS, Flag};
use super::{bench, config, eval, explain, export, features, shapes, train};

/// The widest line the help writes, where its words allow.
const WIDTH: usize = 90;
/// Where a flag's help line starts, after its name.
const HELP_COLUMN: usize = 28;

/// All of `cnnp help`.
pub fn text() -> String {
    let mut text = "cnnp: the classic CNNs of Dive into Deep Learning\n".to_string();
    for command in Command::ALL {
        text += "\n";
        text += &synopsis(command);
        for line in about(command).lines() {
            text += &format!("      {line}\n");
        }
    }
    text += "\n  Flags (each command takes those its line lists):\n";
    for flag in FLAGS {
        text += &flag_help(flag);
    }
    text + &format!("\n  A: {}", Arch::ids())
}

/// What `command` does, in a few lines.
fn about(command: Command) -> &'static str {
    match command {
        Command::Shapes => shapes::ABOUT,
        Command::Train => train::ABOUT,
        Command::Eval => eval::ABOUT,
        Command::Bench => bench::ABOUT,
        Command::Features => features::ABOUT,
        Command::Explain => explain::ABOUT,
        Command::Config => config::ABOUT,
        Command::Export => export::ABOUT,
    }
}

/// `--name VALUE`, or `--name` for a switch.
fn flag_text(flag: &Flag) -> String {
    match flag.value {
        Some(value) => format!("--{} {value}", flag.name),
        None => format!("--{}", flag.name),
    }
}

/// `cnnp <command>` and its flags, the ones it needs first, the others in
/// brackets; wrapped under the first flag.
fn synopsis(command: Command) -> String {
    let head = format!("  cnnp {} ", command.id());
    let accepted = || FLAGS.iter().filter(|flag| flag.accepted_by(command));
    let required = accepted().filter(|flag| flag.required(command)).map(flag_text);
    let optional = accepted()
        .filter(|flag| !flag.required(command))
        .map(|flag| format!("[{}]", flag_text(flag)));
    let items: Vec<String> = required.chain(optional).collect();
    indented(&head, &wrap(items.iter().map(String::as_str), WIDTH - head.len()))
}

/// A flag's name, then its help line (on the next line when the name is
/// too long to leave room).
fn flag_help(flag: &Flag) -> String {
    let name = format!("      {}", flag_text(flag));
    let lines = wrap(flag.help.split_whitespace(), WIDTH - HELP_COLUMN);
    match name.len() < HELP_COLUMN {
        true => indented(&format!("{name:<HELP_COLUMN$}"), &lines),
        false => format!("{name}\n{}", indented(&" ".repeat(HELP_COLUMN), &lines)),
    }
}

/// `lines` after `head`, each later one indented as far, each ending in a
/// newline.
fn indented(head: &str, lines: &[String]) -> String {
    let indent = " ".repeat(head.chars().count());
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| format!("{}{line}\n", if i == 0 { head } else { &indent }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_line_lists_what_it_accepts_and_brackets_the_optional() {
        let lines: Vec<String> = Command::ALL.into_iter().map(synopsis).collect();
        assert_eq!(
            lines[0],
            "  cnnp shapes --arch A [--resize N] [--ratio R] [--data DIR] [--grey] [--expand] [--json]\n\
             \x20             [--config FILE] [--preset P] [--edit E]\n"
        );
        for (command, line) in Command::ALL.into_iter().zip(&lines) {
            for flag in FLAGS {
                let bracketed = format!("[{}]", flag_text(flag));
                let bare = format!(" {} ", flag_text(flag));
                let (listed, unbracketed) = (line.contains(&bracketed), line.contains(&bare));
                assert_eq!(
                    listed || unbracketed,
                    flag.accepted_by(command),
                    "{command:?} --{}",
                    flag.name
                );
                assert_eq!(unbracketed, flag.required(command), "{command:?} --{}", flag.name);
            }
        }
        assert!(lines[2].starts_with("  cnnp eval --arch A --weights FILE [--resize N]"));
        assert!(lines[3].starts_with("  cnnp bench --arch A --backend cpu|wgpu [--batch N]"));
    }

    #[test]
    fn the_help_stays_within_its_width_and_explains_every_flag() {
        let help = text();
        for line in help.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        for flag in FLAGS {
            assert!(
                help.contains(&format!("\n      {}", flag_text(flag))),
                "--{}",
                flag.name
            );
        }
        assert!(
            help.contains("\n      The test loss, test accuracy and confusion matrix of a weights file;\n")
        );
        assert!(help.ends_with("\n  A: lenet|alexnet|vgg|nin|googlenet|bn-lenet|resnet|densenet"));
    }
}
