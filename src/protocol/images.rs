//! How many Fashion-MNIST images a command works on: what the page has the
//! worker fetch (the shards it lacks) before it sends the command.

use serde::{Deserialize, Serialize};

use super::{Command, PictureRef};
use crate::training::{TEST_EXAMPLES, TRAIN_EXAMPLES, TrainConfig};

/// A number of Fashion-MNIST examples of each split: what a run needs,
/// what the worker holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Images {
    pub train: usize,
    pub test: usize,
}

impl Images {
    /// The whole data set: 60,000 training and 10,000 test images.
    pub const ALL: Images = Images {
        train: TRAIN_EXAMPLES.max,
        test: TEST_EXAMPLES.max,
    };

    /// What a run of `config` trains and evaluates on: the first images of
    /// each split (`training::train_or_continue` takes them so).
    pub fn of_run(config: &TrainConfig) -> Images {
        Images {
            train: config.train_limit.unwrap_or(usize::MAX).min(Images::ALL.train),
            test: config.test_limit.unwrap_or(usize::MAX).min(Images::ALL.test),
        }
    }

    /// At least as many of each as `other`.
    pub fn covers(self, other: Images) -> bool {
        self.train >= other.train && self.test >= other.test
    }

    /// The larger of each.
    pub fn max(self, other: Images) -> Images {
        Images {
            train: self.train.max(other.train),
            test: self.test.max(other.test),
        }
    }
}

impl Command {
    /// The images a command works on, for those that need data: a run's
    /// subset, the test images up to the one looked at or shown, those a
    /// weights file is evaluated on. The page asks the worker for them
    /// before it sends the command.
    pub fn images_needed(&self) -> Option<Images> {
        let test = |count: usize| Images {
            train: 0,
            test: count.min(Images::ALL.test),
        };
        match self {
            Command::Train { config, .. }
            | Command::Bench { config, .. }
            | Command::Profile { config, .. } => Some(Images::of_run(config)),
            Command::LookInside { picture, .. } => Some(test(match picture {
                PictureRef::Test { index } => index + 1,
                PictureRef::Own => 0,
            })),
            Command::TestImages { indices } => Some(test(indices.iter().max().map_or(0, |last| last + 1))),
            Command::LoadWeights { test_limit, .. } => Some(test(test_limit.unwrap_or(Images::ALL.test))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::{Arch, NetConfig};

    fn run_on(train: Option<usize>, test: Option<usize>) -> Command {
        let mut config = TrainConfig::book(Arch::LeNet);
        config.train_limit = train;
        config.test_limit = test;
        Command::Train {
            config,
            from_weights: false,
        }
    }

    #[test]
    fn a_run_needs_its_subset_and_the_book_the_whole_set() {
        let subset = run_on(Some(2000), Some(500)).images_needed().unwrap();
        assert_eq!(
            subset,
            Images {
                train: 2000,
                test: 500
            }
        );
        assert_eq!(run_on(None, None).images_needed(), Some(Images::ALL));
        assert_eq!(
            run_on(Some(90_000), Some(1)).images_needed().unwrap().train,
            60_000
        );
        let held = Images {
            train: 2000,
            test: 1000,
        };
        assert!(held.covers(subset));
        assert!(
            !Images {
                train: 1000,
                test: 1000
            }
            .covers(subset)
        );
        assert!(!held.covers(Images::ALL));
        assert_eq!(
            held.max(Images {
                train: 6000,
                test: 500
            }),
            Images {
                train: 6000,
                test: 1000
            }
        );
        assert_eq!(Command::Pause.images_needed(), None);
    }

    #[test]
    fn a_test_picture_needs_the_test_images_up_to_it() {
        let look = |picture| Command::LookInside {
            net: NetConfig::default_for(Arch::LeNet),
            resize: 28,
            picture,
            layer: vec![],
            explain: None,
        };
        assert_eq!(
            look(PictureRef::Test { index: 1500 }).images_needed(),
            Some(Images { train: 0, test: 1501 })
        );
        assert_eq!(look(PictureRef::Own).images_needed(), Some(Images::default()));
        let shown = Command::TestImages {
            indices: vec![3, 999, 12],
        };
        assert_eq!(shown.images_needed(), Some(Images { train: 0, test: 1000 }));
    }

    #[test]
    fn a_load_data_without_images_asks_for_all() {
        let old: Command =
            serde_json::from_str(r#"{"type":"load_data","data_url":"/assets/fashion-mnist/"}"#).unwrap();
        assert_eq!(
            old,
            Command::LoadData {
                data_url: "/assets/fashion-mnist/".into(),
                images: None
            }
        );
    }
}
