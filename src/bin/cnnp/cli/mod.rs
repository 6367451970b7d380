//! The command line itself (native only: it reads files and blocks): a
//! file per command, the flags declared once (`flags`), the help written
//! from them (`help`).
//!
//! ```text
//! cnnp shapes|train|eval|bench|features|explain|config|export --arch A [options]
//! cnnp help
//! ```

mod bench;
mod command;
mod config;
mod confusion;
mod eval;
mod explain;
mod export;
mod features;
mod flags;
mod help;
mod inputs;
mod net;
mod shapes;
mod terminal;
mod train;
mod weights_file;

use std::process::ExitCode;

use command::{Command, usage};
use flags::Flags;

/// A command line that cannot be run: said in one line, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Why `cnnp` stopped short: a command line it cannot run, or a valid
/// command that failed (data, device, divergence): exit code 1.
pub enum CliError {
    Usage(UsageError),
    Run(String),
}

impl From<UsageError> for CliError {
    fn from(e: UsageError) -> Self {
        CliError::Usage(e)
    }
}

fn run(args: &[String]) -> Result<(), CliError> {
    let Some(first) = args.first().map(String::as_str) else {
        return Err(UsageError(usage()).into());
    };
    if let "-h" | "--help" | "help" = first {
        println!("{}", help::text());
        return Ok(());
    }
    let command = Command::from_id(first).ok_or_else(|| {
        UsageError(format!(
            "unknown command '{first}'; accepted: {}|help",
            Command::ids()
        ))
    })?;
    let flags = Flags::parse(&args[1..], command)?;
    match command {
        Command::Shapes => Ok(shapes::run(&flags)?),
        Command::Train => train::run(&flags),
        Command::Eval => eval::run(&flags),
        Command::Bench => bench::run(&flags),
        Command::Features => features::run(&flags),
        Command::Explain => explain::run(&flags),
        Command::Config => config::run(&flags),
        Command::Export => export::run(&flags),
    }
}

pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(UsageError(message))) => {
            eprintln!("cnnp: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Run(message)) => {
            eprintln!("cnnp: {message}");
            ExitCode::from(1)
        }
    }
}
