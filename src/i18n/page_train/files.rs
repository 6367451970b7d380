//! Weights files and Fashion-MNIST's files: fetched, picked, or why not.

use super::TrainText;
use crate::i18n::{Catalogue, Lang, Say};

/// The button that loads the book's trained net: `load the book's trained
/// LeNet`.
#[derive(Clone, Debug, PartialEq)]
pub struct BookWeights {
    /// The net's title.
    pub net: String,
}

impl Say for BookWeights {
    fn say(&self, lang: Lang) -> String {
        let net = &self.net;
        match lang {
            Lang::En => format!("load the book's trained {net}"),
            Lang::Zh => format!("加载按书中设置训练好的 {net}"),
        }
    }
}

/// Why a file of this site could not be fetched (a weights file).
#[derive(Clone, Debug, PartialEq)]
pub enum FetchProblem {
    /// The page has no window (not in a browser).
    NoWindow,
    /// The request failed; the browser's reason.
    NotFetched { url: String, reason: String },
    /// The server answered with an error.
    NotFound { url: String, status: u16 },
    /// The body could not be read; the browser's reason.
    NotRead { url: String, reason: String },
}

impl Say for FetchProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (FetchProblem::NoWindow, Lang::En) => "no window".to_string(),
            (FetchProblem::NoWindow, Lang::Zh) => "没有浏览器窗口".to_string(),
            (FetchProblem::NotFetched { url, reason }, Lang::En) => {
                format!("{url} could not be fetched ({reason})")
            }
            (FetchProblem::NotFetched { url, reason }, Lang::Zh) => format!("无法获取 {url}（{reason}）"),
            (FetchProblem::NotFound { url, status }, Lang::En) => format!("{url}: not found (HTTP {status})"),
            (FetchProblem::NotFound { url, status }, Lang::Zh) => format!("{url}：找不到（HTTP {status}）"),
            (FetchProblem::NotRead { url, reason }, Lang::En) => {
                format!("{url} could not be read ({reason})")
            }
            (FetchProblem::NotRead { url, reason }, Lang::Zh) => format!("无法读取 {url}（{reason}）"),
        }
    }
}

/// What the data files picker says: the files are in use, or why not.
#[derive(Clone, Debug, PartialEq)]
pub enum PickedFiles {
    Using,
    /// A file of the four is not among the picked ones.
    Missing {
        file: &'static str,
    },
    /// A picked file could not be read; the browser's reason.
    NotRead {
        name: String,
        reason: String,
    },
}

impl Say for PickedFiles {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (PickedFiles::Using, lang) => TrainText::UsingYourFiles.get(lang).to_string(),
            (PickedFiles::Missing { file }, Lang::En) => format!("missing {file} among the picked files"),
            (PickedFiles::Missing { file }, Lang::Zh) => format!("所选文件中缺少 {file}"),
            (PickedFiles::NotRead { name, reason }, Lang::En) => format!("could not read {name}: {reason}"),
            (PickedFiles::NotRead { name, reason }, Lang::Zh) => format!("无法读取 {name}：{reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn weights_and_data_files() {
        check_message(&BookWeights { net: "LeNet".into() }, &["LeNet"]);
        let missing = FetchProblem::NotFound {
            url: "assets/weights/missing.safetensors".into(),
            status: 404,
        };
        check_message(&missing, &["missing.safetensors", "HTTP 404"]);
        assert_eq!(
            missing.say(Lang::En),
            "assets/weights/missing.safetensors: not found (HTTP 404)"
        );
        check_message(&FetchProblem::NoWindow, &[]);
        for problem in [
            FetchProblem::NotFetched {
                url: "w.safetensors".into(),
                reason: "TypeError".into(),
            },
            FetchProblem::NotRead {
                url: "w.safetensors".into(),
                reason: "TypeError".into(),
            },
        ] {
            check_message(&problem, &["w.safetensors", "TypeError"]);
        }
        check_message(&PickedFiles::Using, &[]);
        check_message(
            &PickedFiles::Missing {
                file: "t10k-labels-idx1-ubyte.gz",
            },
            &["t10k-labels-idx1-ubyte.gz"],
        );
        check_message(
            &PickedFiles::NotRead {
                name: "train-images-idx3-ubyte.gz".into(),
                reason: "NotReadableError".into(),
            },
            &["train-images-idx3-ubyte.gz", "NotReadableError"],
        );
    }
}
