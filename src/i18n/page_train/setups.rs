//! How long a run takes, and the two setups in a few words.
//!
//! Image counts are written as the form's fields hold them (plain digits,
//! `60000`, as typed and as the page's tests read them); durations go
//! through the reader's locale (`Lang::duration`).

use super::TrainText;
use crate::i18n::{Catalogue, Lang, Say};

/// How long a run takes, before it starts; how long is left, while it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Estimate {
    /// `About 12 min left at this speed.`
    Left { seconds: f64 },
    /// `Estimated on CPU: about 3.3 h an epoch (60000 training and 10000
    /// test images), 33.0 h for 10 epochs.`, and whether that is long for
    /// a tab.
    Run {
        /// The backend measured (`WebGPU`, `CPU`), if known.
        backend: Option<&'static str>,
        epoch_seconds: f64,
        train: usize,
        test: usize,
        epochs: usize,
    },
}

impl Estimate {
    /// Longer than a student waits in a tab: 15 minutes an epoch.
    pub const LONG_FOR_TAB_S: f64 = 15.0 * 60.0;

    /// An epoch would take longer than a student waits in a tab.
    pub fn long_for_tab(&self) -> bool {
        matches!(self, Estimate::Run { epoch_seconds, .. } if *epoch_seconds > Self::LONG_FOR_TAB_S)
    }
}

impl Say for Estimate {
    fn say(&self, lang: Lang) -> String {
        let (backend, epoch_seconds, train, test, epochs) = match *self {
            Estimate::Left { seconds } => {
                let left = lang.duration(seconds);
                return match lang {
                    Lang::En => format!("About {left} left at this speed."),
                    Lang::Zh => format!("按现在的速度，大约还需 {left}。"),
                };
            }
            Estimate::Run {
                backend,
                epoch_seconds,
                train,
                test,
                epochs,
            } => (backend, epoch_seconds, train, test, epochs),
        };
        let (epoch, total) = (
            lang.duration(epoch_seconds),
            lang.duration(epoch_seconds * epochs as f64),
        );
        let long = self.long_for_tab();
        match lang {
            Lang::En => format!(
                "Estimated on {}: about {epoch} an epoch ({train} training and {test} test images), {total} for {epochs} epoch{}.{}",
                backend.unwrap_or("this backend"),
                if epochs == 1 { "" } else { "s" },
                if long { " That is long for a tab." } else { "" }
            ),
            Lang::Zh => format!(
                "{}估计：每轮约 {epoch}（{train} 张训练图像和 {test} 张测试图像），{epochs} 轮共约 {total}。{}",
                backend.map_or("在当前后端上".to_string(), |backend| format!(
                    "在 {backend} 上"
                )),
                if long {
                    "对一个标签页来说，这太久了。"
                } else {
                    ""
                }
            ),
        }
    }
}

/// A setup in a few words: `5000 training and 1000 test images at 32×32
/// px, batch 64, 3 epochs, learning rate 0.05`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetupSummary {
    /// `None` for all of them.
    pub train: Option<usize>,
    pub test: Option<usize>,
    pub side: usize,
    pub batch: usize,
    pub epochs: usize,
    /// As the form's field holds it.
    pub lr: f64,
    pub optimizer: SetupOptimizer,
}

/// The optimizer a setup names (plain SGD goes without saying).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupOptimizer {
    Sgd,
    Momentum,
    Adam,
}

impl Say for SetupSummary {
    fn say(&self, lang: Lang) -> String {
        let SetupSummary {
            train,
            test,
            side,
            batch,
            epochs,
            lr,
            optimizer,
        } = *self;
        let all = train.is_none() && test.is_none();
        let (train, test) = (train.unwrap_or(60_000), test.unwrap_or(10_000));
        match lang {
            Lang::En => {
                let images = match all {
                    true => format!("all {train} training and {test} test images"),
                    false => format!("{train} training and {test} test images"),
                };
                let epochs = match epochs {
                    1 => "1 epoch".to_string(),
                    n => format!("{n} epochs"),
                };
                let optimizer = match optimizer {
                    SetupOptimizer::Sgd => "",
                    SetupOptimizer::Momentum => " with momentum",
                    SetupOptimizer::Adam => " with Adam",
                };
                format!(
                    "{images} at {side}×{side} px, batch {batch}, {epochs}, learning rate {lr}{optimizer}"
                )
            }
            Lang::Zh => {
                let images = match all {
                    true => format!("全部 {train} 张训练图像和 {test} 张测试图像"),
                    false => format!("{train} 张训练图像和 {test} 张测试图像"),
                };
                let optimizer = match optimizer {
                    SetupOptimizer::Sgd => "",
                    SetupOptimizer::Momentum => "，使用动量法",
                    SetupOptimizer::Adam => "，使用 Adam",
                };
                format!("{images}，{side}×{side} 像素，批量大小 {batch}，{epochs} 轮，学习率 {lr}{optimizer}")
            }
        }
    }
}

/// What the chosen setup is, under the two setup buttons.
#[derive(Clone, Debug, PartialEq)]
pub enum SetupNote {
    Quick(SetupSummary),
    Book {
        section: &'static str,
        summary: SetupSummary,
    },
    Own,
}

impl Say for SetupNote {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (SetupNote::Quick(summary), Lang::En) => format!(
                "Quick setting: {}, about two minutes an epoch on a laptop's CPU; the book's settings are one click away.",
                summary.say(lang)
            ),
            (SetupNote::Quick(summary), Lang::Zh) => format!(
                "快速设置：{}，在笔记本电脑的 CPU 上每轮约两分钟；点一下就能换回书中的设置。",
                summary.say(lang)
            ),
            (SetupNote::Book { section, summary }, Lang::En) => {
                format!("The book's settings (d2l §{section}): {}.", summary.say(lang))
            }
            (SetupNote::Book { section, summary }, Lang::Zh) => {
                format!("书中的设置（动手学深度学习 §{section}）：{}。", summary.say(lang))
            }
            (SetupNote::Own, lang) => TrainText::OwnSettings.get(lang).to_string(),
        }
    }
}

/// Where the form's run would take too long: `The quick setting trains
/// ResNet-18 in minutes: …. `
#[derive(Clone, Debug, PartialEq)]
pub struct QuickOffer {
    /// The net's title.
    pub net: String,
    pub summary: SetupSummary,
}

impl Say for QuickOffer {
    fn say(&self, lang: Lang) -> String {
        let (net, summary) = (&self.net, self.summary.say(lang));
        match lang {
            Lang::En => format!("The quick setting trains {net} in minutes: {summary}. "),
            Lang::Zh => format!("快速设置几分钟就能训练好 {net}：{summary}。"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    fn summary(train: Option<usize>, optimizer: SetupOptimizer) -> SetupSummary {
        SetupSummary {
            train,
            test: train.map(|_| 1000),
            side: 32,
            batch: 64,
            epochs: 3,
            lr: 0.05,
            optimizer,
        }
    }

    #[test]
    fn estimates_keep_the_words_the_tests_read() {
        let run = Estimate::Run {
            backend: Some("CPU"),
            epoch_seconds: 3.3 * 3600.0,
            train: 60000,
            test: 10000,
            epochs: 10,
        };
        assert!(run.long_for_tab());
        check_message(&run, &["CPU", "3.3", "60000", "10000", "33.0"]);
        assert_eq!(
            run.say(Lang::En),
            "Estimated on CPU: about 3.3 h an epoch (60000 training and 10000 test images), \
             33.0 h for 10 epochs. That is long for a tab."
        );
        let short = Estimate::Run {
            backend: None,
            epoch_seconds: 40.0,
            train: 512,
            test: 256,
            epochs: 1,
        };
        assert!(!short.long_for_tab());
        check_message(&short, &["40", "512", "256"]);
        assert_eq!(
            short.say(Lang::En),
            "Estimated on this backend: about 40 s an epoch (512 training and 256 test images), 40 s for 1 epoch."
        );
        let left = Estimate::Left { seconds: 720.0 };
        check_message(&left, &["12"]);
        assert_eq!(left.say(Lang::En), "About 12 min left at this speed.");
        assert_eq!(left.say(Lang::Zh), "按现在的速度，大约还需 12分钟。");
    }

    #[test]
    fn setups_in_a_few_words() {
        let quick = summary(Some(5000), SetupOptimizer::Momentum);
        check_message(&quick, &["5000", "1000", "32×32", "64", "3", "0.05"]);
        assert_eq!(
            quick.say(Lang::En),
            "5000 training and 1000 test images at 32×32 px, batch 64, 3 epochs, learning rate 0.05 with momentum"
        );
        let book = summary(None, SetupOptimizer::Sgd);
        check_message(&book, &["60000", "10000"]);
        assert!(book.say(Lang::En).starts_with("all 60000 training"));
        let one = SetupSummary {
            epochs: 1,
            ..book.clone()
        };
        assert!(one.say(Lang::En).contains(", 1 epoch,"));
        check_message(&SetupNote::Quick(quick.clone()), &["5000"]);
        check_message(
            &SetupNote::Book {
                section: "7.6",
                summary: book,
            },
            &["7.6", "60000"],
        );
        check_message(&SetupNote::Own, &[]);
        let offer = QuickOffer {
            net: "ResNet-18".into(),
            summary: quick,
        };
        check_message(&offer, &["ResNet-18", "5000", "32×32"]);
        assert!(offer.say(Lang::En).starts_with(
            "The quick setting trains ResNet-18 in minutes: 5000 training and 1000 test images at 32×32 px"
        ));
    }
}
