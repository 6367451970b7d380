//! The commands `cnnp` knows, by name.

/// One of `cnnp`'s commands (`help` aside: it takes no flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Shapes,
    Train,
    Eval,
    Bench,
    Features,
    Explain,
    Config,
    Export,
}

impl Command {
    /// In the order `cnnp help` explains them.
    pub const ALL: [Command; 8] = [
        Command::Shapes,
        Command::Train,
        Command::Eval,
        Command::Bench,
        Command::Features,
        Command::Explain,
        Command::Config,
        Command::Export,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Command::Shapes => "shapes",
            Command::Train => "train",
            Command::Eval => "eval",
            Command::Bench => "bench",
            Command::Features => "features",
            Command::Explain => "explain",
            Command::Config => "config",
            Command::Export => "export",
        }
    }

    pub fn from_id(id: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|command| command.id() == id)
    }

    /// Every id, for messages that list what is accepted.
    pub fn ids() -> String {
        Command::ALL.map(Command::id).join("|")
    }
}

/// The one-line usage, said when a command line cannot be read.
pub fn usage() -> String {
    format!("usage: cnnp {} --arch A [options]; cnnp help", Command::ids())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_found_by_its_id() {
        for command in Command::ALL {
            assert_eq!(Command::from_id(command.id()), Some(command));
        }
        assert_eq!(Command::from_id("help"), None);
        assert_eq!(
            usage(),
            "usage: cnnp shapes|train|eval|bench|features|explain|config|export --arch A [options]; cnnp help"
        );
    }
}
