//! Getting the data to the reader, in words: a download that failed, a
//! shard that arrived wrong, what this browser keeps when there is no
//! connection; and the app's own copy here, when a newer one is ready.

use serde::{Deserialize, Serialize};

use super::Images;
use crate::data::shards::{ManifestProblem, ShardProblem};
use crate::i18n::{Lang, Say};

/// Why a download of the data failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DownloadError {
    CouldNotFetch { url: String, detail: String },
    NotAResponse { url: String },
    Status { url: String, status: u16, text: String },
    EmptyResponse { url: String },
    Unreadable { url: String },
    BrokeOff { url: String, detail: String },
    CutShort { url: String, got: u64, total: u64 },
}

impl Say for DownloadError {
    fn say(&self, lang: Lang) -> String {
        use DownloadError::*;
        match (self, lang) {
            (CouldNotFetch { url, detail }, Lang::En) => format!("could not fetch {url}: {detail}"),
            (CouldNotFetch { url, detail }, Lang::Zh) => format!("无法获取 {url}：{detail}"),
            (NotAResponse { url }, Lang::En) => format!("{url}: not a response"),
            (NotAResponse { url }, Lang::Zh) => format!("{url}：不是一个响应"),
            (Status { url, status, text }, Lang::En) => format!("{url}: the server answered {status} {text}"),
            (Status { url, status, text }, Lang::Zh) => format!("{url}：服务器答复 {status} {text}"),
            (EmptyResponse { url }, Lang::En) => format!("{url}: an empty response"),
            (EmptyResponse { url }, Lang::Zh) => format!("{url}：空的响应"),
            (Unreadable { url }, Lang::En) => format!("{url}: cannot read the body"),
            (Unreadable { url }, Lang::Zh) => format!("{url}：无法读取响应内容"),
            (BrokeOff { url, detail }, Lang::En) => format!("the download of {url} broke off: {detail}"),
            (BrokeOff { url, detail }, Lang::Zh) => format!("{url} 的下载中断了：{detail}"),
            (CutShort { url, got, total }, Lang::En) => {
                format!("{url}: got {got} of {total} bytes; the download was cut short")
            }
            (CutShort { url, got, total }, Lang::Zh) => {
                format!("{url}：只收到 {total} 字节中的 {got} 字节；下载被截断了")
            }
        }
    }
}

/// Why the data could not be loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
// Adjacently tagged: an internally tagged enum cannot carry a newtype
// variant of a string, a list or another enum tagged "error".
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum DataLoadError {
    Download(DownloadError),
    /// The files arrived but are not Fashion-MNIST's: why.
    Decode {
        problem: String,
    },
    /// The copy in the browser's cache did not decode; it was removed.
    CacheDamaged {
        problem: String,
    },
    /// The browser's cache refused a file: its words.
    Cache {
        detail: String,
    },
    /// A shard arrived wrong, and again when fetched once more.
    Shard {
        file: String,
        problem: ShardProblem,
    },
    /// The shards' manifest cannot be used.
    Manifest {
        problem: ManifestProblem,
    },
    /// There is no connection, and this browser keeps too few images.
    NeedsConnection(Offline),
    /// Images of one's own cannot be used: why (the data held before
    /// stays).
    Own {
        error: crate::data::own::OwnDataError,
    },
}

impl Say for DataLoadError {
    fn say(&self, lang: Lang) -> String {
        use DataLoadError::*;
        match (self, lang) {
            (Download(e), _) => e.say(lang),
            (Decode { problem }, _) => problem.clone(),
            (CacheDamaged { problem }, Lang::En) => {
                format!("{problem} (the cached copy was removed; retry to download it again)")
            }
            (CacheDamaged { problem }, Lang::Zh) => {
                format!("{problem}（缓存的副本已删除；重试即可重新下载）")
            }
            (Cache { detail }, Lang::En) => format!("the browser's cache refused the data: {detail}"),
            (Cache { detail }, Lang::Zh) => format!("浏览器的缓存拒绝了数据：{detail}"),
            (Shard { file, problem }, Lang::En) => {
                format!("{file}: {}, and again when fetched once more", problem.say(lang))
            }
            (Shard { file, problem }, Lang::Zh) => {
                format!("{file}：{}；重新获取一次后仍是如此", problem.say(lang))
            }
            (Manifest { problem }, _) => problem.say(lang),
            (NeedsConnection(offline), _) => offline.say(lang),
            (Own { error }, _) => error.say(lang),
        }
    }
}

impl Say for ShardProblem {
    fn say(&self, lang: Lang) -> String {
        use ShardProblem::*;
        match (self, lang) {
            (WrongSize { got, expected }, Lang::En) if got < expected => {
                format!("got {got} of {expected} bytes; the download was cut short")
            }
            (WrongSize { got, expected }, Lang::Zh) if got < expected => {
                format!("只收到 {expected} 字节中的 {got} 字节；下载被截断了")
            }
            (WrongSize { got, expected }, Lang::En) => format!("{got} bytes where the build made {expected}"),
            (WrongSize { got, expected }, Lang::Zh) => {
                format!("收到 {got} 字节，而构建时生成的是 {expected} 字节")
            }
            (Checksum, Lang::En) => "its checksum does not match the build's".to_string(),
            (Checksum, Lang::Zh) => "它的校验和与构建时的不符".to_string(),
            (Content { error }, _) => error.say(lang),
        }
    }
}

impl Say for ManifestProblem {
    fn say(&self, lang: Lang) -> String {
        use ManifestProblem::*;
        match (self, lang) {
            (Unreadable { detail }, Lang::En) => format!("the data's list of shards is unreadable: {detail}"),
            (Unreadable { detail }, Lang::Zh) => format!("数据分片的清单无法读取：{detail}"),
            (Layout { found }, Lang::En) => {
                format!("the data's list of shards is of layout {found}, which this page does not read")
            }
            (Layout { found }, Lang::Zh) => format!("数据分片的清单格式为 {found}，本页面无法读取"),
            (Inconsistent, Lang::En) => "the data's list of shards does not add up".to_string(),
            (Inconsistent, Lang::Zh) => "数据分片的清单前后不一致".to_string(),
        }
    }
}

/// What this browser keeps of Fashion-MNIST when there is no connection:
/// "offline: 2,000 training images are here; the full set needs a
/// connection". `needs`: a run's images (`None`: the whole set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offline {
    pub here: Images,
    pub needs: Option<Images>,
}

impl Say for Offline {
    fn say(&self, lang: Lang) -> String {
        let needs = self.needs.unwrap_or(Images::ALL);
        let here = self.here;
        let (train, test) = (lang.count(here.train as u64), lang.count(here.test as u64));
        if here.covers(needs) {
            return match (self.needs, lang) {
                (None, Lang::En) => {
                    "offline: all of Fashion-MNIST is here; training needs no connection".to_string()
                }
                (None, Lang::Zh) => "离线：完整的 Fashion-MNIST 都在这里；训练无需联网".to_string(),
                (Some(_), Lang::En) => format!("offline: {train} training and {test} test images are here"),
                (Some(_), Lang::Zh) => format!("离线：这里有 {train} 张训练图像和 {test} 张测试图像"),
            };
        }
        // Name the split that falls short (both where both do).
        let (train_short, test_short) = (here.train < needs.train, here.test < needs.test);
        let held = match (lang, train_short, test_short) {
            _ if here == Images::default() => lang.pick(
                "no Fashion-MNIST images are here yet".to_string(),
                "这里还没有任何 Fashion-MNIST 图像".to_string(),
            ),
            (Lang::En, true, false) => format!("{train} training images are here"),
            (Lang::En, false, true) => format!("{test} test images are here"),
            (Lang::En, _, _) => format!("{train} training and {test} test images are here"),
            (Lang::Zh, true, false) => format!("这里有 {train} 张训练图像"),
            (Lang::Zh, false, true) => format!("这里有 {test} 张测试图像"),
            (Lang::Zh, _, _) => format!("这里有 {train} 张训练图像和 {test} 张测试图像"),
        };
        let (want_train, want_test) = (lang.count(needs.train as u64), lang.count(needs.test as u64));
        match (self.needs, lang) {
            (None, Lang::En) => format!("offline: {held}; the full set needs a connection"),
            (None, Lang::Zh) => format!("离线：{held}；完整的数据集需要联网"),
            (Some(_), Lang::En) => format!(
                "offline: {held}; a run on {want_train} training and {want_test} test images needs a connection"
            ),
            (Some(_), Lang::Zh) => {
                format!("离线：{held}；在 {want_train} 张训练图像和 {want_test} 张测试图像上训练需要联网")
            }
        }
    }
}

crate::catalogue! {
    /// The app's copy in this browser (its service worker, `www/sw.js`).
    pub enum AppCopy {
        /// A newer build was fetched and waits for the reader.
        UpdateReady => "A new version of the playground is ready.", "CNN 练习场的新版本已准备好。";
        /// Another tab (or frame) switched to the newer build.
        UpdatedElsewhere => "The playground was updated in another tab; reload to use the new version.",
            "CNN 练习场已在另一个标签页中更新；重新加载即可使用新版本。";
        Reload => "Reload", "重新加载";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::DataError;
    use crate::i18n::{Catalogue, check_catalogue, check_message};

    #[test]
    fn download_failures_in_both_languages() {
        let url = || "/assets/fashion-mnist/train-images-idx3-ubyte.gz".to_string();
        check_message(
            &DataLoadError::Download(DownloadError::Status {
                url: url(),
                status: 404,
                text: "Not Found".into(),
            }),
            &["404", "train-images-idx3-ubyte.gz"],
        );
        check_message(
            &DataLoadError::Download(DownloadError::CutShort {
                url: url(),
                got: 1024,
                total: 26_421_880,
            }),
            &["1024", "26421880"],
        );
        for error in [
            DownloadError::NotAResponse { url: url() },
            DownloadError::EmptyResponse { url: url() },
            DownloadError::Unreadable { url: url() },
            DownloadError::CouldNotFetch {
                url: url(),
                detail: "offline".into(),
            },
            DownloadError::BrokeOff {
                url: url(),
                detail: "offline".into(),
            },
        ] {
            check_message(&DataLoadError::Download(error), &["train-images"]);
        }
        check_message(&DataLoadError::CacheDamaged { problem: "p".into() }, &[]);
        check_message(
            &DataLoadError::Cache {
                detail: "quota".into(),
            },
            &["quota"],
        );
    }

    #[test]
    fn shards_that_arrive_wrong_in_both_languages() {
        let file = || "train-003-0123456789abcdef.gz".to_string();
        let cut = DataLoadError::Shard {
            file: file(),
            problem: ShardProblem::WrongSize {
                got: 1024,
                expected: 431_000,
            },
        };
        assert_eq!(
            cut.say(Lang::En),
            "train-003-0123456789abcdef.gz: got 1024 of 431000 bytes; the download was cut short, \
             and again when fetched once more"
        );
        check_message(&cut, &["train-003", "1024", "431000"]);
        for problem in [
            ShardProblem::WrongSize {
                got: 500_000,
                expected: 431_000,
            },
            ShardProblem::Checksum,
            ShardProblem::Content {
                error: DataError::Empty { file: file() },
            },
        ] {
            check_message(
                &DataLoadError::Shard {
                    file: file(),
                    problem,
                },
                &["train-003"],
            );
        }
        for problem in [
            ManifestProblem::Unreadable { detail: "eof".into() },
            ManifestProblem::Layout { found: 7 },
            ManifestProblem::Inconsistent,
        ] {
            check_message(&DataLoadError::Manifest { problem }, &[]);
        }
    }

    #[test]
    fn what_is_here_offline_in_both_languages() {
        let here = Images {
            train: 2000,
            test: 1000,
        };
        let full = Offline { here, needs: None };
        assert_eq!(
            full.say(Lang::En),
            "offline: 2,000 training and 1,000 test images are here; the full set needs a connection"
        );
        assert_eq!(
            full.say(Lang::Zh),
            "离线：这里有 2,000 张训练图像和 1,000 张测试图像；完整的数据集需要联网"
        );
        let run = Offline {
            here,
            needs: Some(Images {
                train: 6000,
                test: 1000,
            }),
        };
        assert_eq!(
            run.say(Lang::En),
            "offline: 2,000 training images are here; a run on 6,000 training and 1,000 test images needs a connection"
        );
        check_message(&run, &["2,000", "6,000", "1,000"]);
        let both_short = Offline {
            here: Images { train: 2000, test: 0 },
            needs: None,
        };
        check_message(&both_short, &["2,000", "0"]);
        check_message(
            &Offline {
                here: Images::default(),
                needs: None,
            },
            &["Fashion-MNIST"],
        );
        check_message(
            &Offline {
                here: Images::ALL,
                needs: None,
            },
            &["Fashion-MNIST"],
        );
        check_message(
            &Offline {
                here,
                needs: Some(here),
            },
            &["2,000", "1,000"],
        );
        check_message(&DataLoadError::NeedsConnection(full), &["2,000"]);
    }

    #[test]
    fn the_apps_copy_in_both_languages() {
        check_catalogue(AppCopy::ALL);
    }
}
