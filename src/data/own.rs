//! Data of one's own, and Fashion-MNIST in the same terms: a set's classes
//! (with their names), its train and test splits, what was left out on the
//! way, and the typed reasons such data cannot be used.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{DataError, Dataset, ImageFormat, SplitMix64};
use crate::arch::{MAX_CLASSES, NetIo};

/// The share of each class kept for testing when the data brings no test
/// split: torchvision users' usual 80/20.
pub const TEST_SHARE: f64 = 0.2;

/// A data set ready to train on.
#[derive(Clone, Debug, PartialEq)]
pub struct Splits {
    /// What the reader calls it: the folder's or zip's name, `fashion-mnist`.
    pub name: String,
    /// The class names in label order (ImageFolder's: the folders' names,
    /// sorted).
    pub classes: Vec<String>,
    pub train: Dataset,
    pub test: Dataset,
    /// Where the test split came from.
    pub split: SplitOrigin,
    /// Files left out, each with why.
    pub skipped: Vec<Skipped>,
}

/// Where a test split came from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "split", rename_all = "snake_case")]
pub enum SplitOrigin {
    /// The data brought it (`train/` and `test/`, IDX's t10k files).
    Given,
    /// Drawn from each class with this seed (`stratified_split`).
    Drawn { seed: u64, test_share: f64 },
}

/// A file left out of a data set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub why: SkipReason,
}

/// Why a file was left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum SkipReason {
    /// Its name does not end in an image type read here.
    NotAnImage,
    /// Not inside a class's folder.
    OutsideClassFolder,
    /// Its header promises more than `picture::MAX_PIXELS` pixels.
    TooLarge { width: usize, height: usize },
    /// The decoder's own words (English).
    Undecodable { reason: String },
}

/// Why data of one's own cannot be used; each carries its numbers (in both
/// languages: `crate::i18n::own_data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OwnDataError {
    /// Not one image in a class folder.
    NoImages {
        skipped: usize,
    },
    /// Classes need at least two.
    OneClass {
        class: String,
    },
    TooManyClasses {
        found: usize,
        limit: usize,
    },
    /// A class folder with no image in it.
    EmptyClass {
        class: String,
    },
    /// `test/<class>` without `train/<class>`.
    ClassNotInTrain {
        class: String,
    },
    /// Too few images to keep any for testing.
    TooFewToSplit {
        images: usize,
    },
    /// The images would take more memory than allowed (before decoding).
    TooMuchData {
        bytes: u64,
        limit: u64,
        fits: usize,
    },
    /// The files picked are more than the page reads from disk.
    FilesTooLarge {
        bytes: u64,
        limit: u64,
    },
    /// A zip that cannot be read.
    Archive {
        problem: ArchiveProblem,
    },
    /// An IDX file's problem.
    Idx {
        error: DataError,
    },
    /// A label past the class names given.
    LabelWithoutName {
        label: u8,
        names: usize,
    },
    /// A folder that is neither IDX files nor class folders.
    NotData {
        folder: String,
    },
    /// A file or folder that cannot be read: the system's words (English).
    Unreadable {
        path: String,
        reason: String,
    },
}

/// Why a zip cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ArchiveProblem {
    /// Not a zip, or cut short: the reader's own words (English).
    Unreadable { reason: String },
    /// Unpacks to more than `limit` bytes: refused, as a zip bomb is.
    TooLarge { limit: u64 },
    /// More entries than `limit`.
    TooManyEntries { found: usize, limit: usize },
    /// One entry cannot be unpacked (damaged, or a method not read here).
    Entry { name: String, reason: String },
}

impl From<DataError> for OwnDataError {
    fn from(error: DataError) -> Self {
        OwnDataError::Idx { error }
    }
}

impl Splits {
    pub fn format(&self) -> ImageFormat {
        self.train.format()
    }

    /// What the data asks of a net.
    pub fn io(&self) -> NetIo {
        NetIo {
            in_channels: self.format().channels,
            classes: self.classes.len(),
        }
    }

    /// Per class, in label order: (train images, test images).
    pub fn counts(&self) -> Vec<(usize, usize)> {
        let mut counts = vec![(0, 0); self.classes.len()];
        for &label in self.train.labels() {
            counts[label as usize].0 += 1;
        }
        for &label in self.test.labels() {
            counts[label as usize].1 += 1;
        }
        counts
    }

    /// What the set is, without its images.
    pub fn about(&self) -> OwnAbout {
        OwnAbout {
            name: self.name.clone(),
            classes: self.classes.clone(),
            format: self.format(),
            counts: self.counts(),
            split: self.split,
            skipped: self.skipped.iter().take(SKIPPED_NAMED).cloned().collect(),
            skipped_count: self.skipped.len(),
            hash: self.content_hash(),
        }
    }

    /// The first 16 hex digits of a SHA-256 of the images and labels: the
    /// same data gives the same hash, in the page and natively.
    pub fn content_hash(&self) -> String {
        let mut hash = Sha256::new();
        let format = self.format();
        for n in [
            format.channels,
            format.height,
            format.width,
            self.train.len(),
            self.test.len(),
        ] {
            hash.update((n as u64).to_le_bytes());
        }
        for set in [&self.train, &self.test] {
            hash.update(set.labels());
            for index in 0..set.len() {
                hash.update(set.image(index));
            }
        }
        hash.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Images of one's own as the page hands them to the worker; the bytes
/// travel beside it (`protocol::Slot::OwnFiles`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnSource {
    /// The folder's or zip's name.
    pub name: String,
    pub kind: OwnSourceKind,
    /// A folder's files, every one (`folder::plan` reads them); the bytes
    /// are those of the planned images, in plan order. Empty for a zip.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Keep colour where the images have it (else grey, as `--grey`).
    pub keep_colour: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnSourceKind {
    Folder,
    Zip,
}

/// The most skipped files an `OwnAbout` names (the rest are counted).
pub const SKIPPED_NAMED: usize = 8;

/// What a set of one's own is, without its images: what the page shows
/// before Train and run history records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnAbout {
    pub name: String,
    pub classes: Vec<String>,
    pub format: ImageFormat,
    /// Per class: (train images, test images).
    pub counts: Vec<(usize, usize)>,
    pub split: SplitOrigin,
    /// The first `SKIPPED_NAMED` files left out.
    pub skipped: Vec<Skipped>,
    pub skipped_count: usize,
    /// `Splits::content_hash`.
    pub hash: String,
}

impl OwnAbout {
    pub fn io(&self) -> NetIo {
        NetIo {
            in_channels: self.format.channels,
            classes: self.classes.len(),
        }
    }

    pub fn train_images(&self) -> usize {
        self.counts.iter().map(|c| c.0).sum()
    }

    pub fn test_images(&self) -> usize {
        self.counts.iter().map(|c| c.1).sum()
    }
}

/// Checks a class count: two at least, `MAX_CLASSES` at most.
pub fn check_classes(classes: &[String]) -> Result<(), OwnDataError> {
    match classes {
        [] => Err(OwnDataError::NoImages { skipped: 0 }),
        [class] => Err(OwnDataError::OneClass { class: class.clone() }),
        _ if classes.len() > MAX_CLASSES => Err(OwnDataError::TooManyClasses {
            found: classes.len(),
            limit: MAX_CLASSES,
        }),
        _ => Ok(()),
    }
}

/// Splits examples by class: of each class's `n`, `round(n × test_share)`
/// (at least one and at most `n − 1` when `n ≥ 2`) go to the test split,
/// chosen by a shuffle seeded with `seed` and the class. Returns (train,
/// test) indices, each in the examples' order.
pub fn stratified_split(labels: &[u8], seed: u64, test_share: f64) -> (Vec<usize>, Vec<usize>) {
    let classes = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut test = vec![];
    for class in 0..classes {
        let mut members: Vec<usize> = (0..labels.len())
            .filter(|&i| labels[i] as usize == class)
            .collect();
        let n = members.len();
        if n < 2 {
            continue;
        }
        let take = ((n as f64 * test_share).round() as usize).clamp(1, n - 1);
        let mut rng = SplitMix64::new(seed ^ (class as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        for i in 0..take {
            let j = i + rng.below(n - i);
            members.swap(i, j);
        }
        test.extend_from_slice(&members[..take]);
    }
    test.sort_unstable();
    let mut is_test = vec![false; labels.len()];
    for &i in &test {
        is_test[i] = true;
    }
    let train = (0..labels.len()).filter(|&i| !is_test[i]).collect();
    (train, test)
}

/// Cuts `all` into train and test splits by `stratified_split`.
pub fn split_drawn(all: &Dataset, seed: u64, test_share: f64) -> Result<(Dataset, Dataset), OwnDataError> {
    let (train, test) = stratified_split(all.labels(), seed, test_share);
    if test.is_empty() || train.is_empty() {
        return Err(OwnDataError::TooFewToSplit { images: all.len() });
    }
    Ok((all.subset(&train), all.subset(&test)))
}

/// A file's name and bytes.
pub type NamedBytes<'a> = (&'a str, &'a [u8]);

/// IDX files of an MNIST-like set, read as `idx::images` and `idx::labels`
/// read them (`[images, labels]` of each split): the classes are the labels
/// found (`0..=max`), named by `names` (one a line) where given, else by
/// their numbers.
pub fn from_idx(
    name: &str,
    [train_images, train_labels]: [NamedBytes; 2],
    [test_images, test_labels]: [NamedBytes; 2],
    names: Option<&str>,
) -> Result<Splits, OwnDataError> {
    let split = |(images_file, images): NamedBytes, (labels_file, labels): NamedBytes| {
        let (format, pixels) = super::idx::images(images_file, images)?;
        let labels = super::idx::labels(labels_file, labels)?;
        Dataset::of_format(format, pixels, labels).map_err(OwnDataError::from)
    };
    let train = split(train_images, train_labels)?;
    let test = split(test_images, test_labels)?;
    if train.format() != test.format() {
        let (rows, cols) = (test.format().height, test.format().width);
        let file = test_images.0.to_string();
        return Err(DataError::BadDimensions { file, rows, cols }.into());
    }
    let top = train
        .labels()
        .iter()
        .chain(test.labels())
        .copied()
        .max()
        .unwrap_or(0);
    let classes: Vec<String> = match names {
        Some(text) => {
            let names: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            if top as usize >= names.len() {
                return Err(OwnDataError::LabelWithoutName {
                    label: top,
                    names: names.len(),
                });
            }
            names
        }
        None => (0..=top).map(|label| label.to_string()).collect(),
    };
    check_classes(&classes)?;
    Ok(Splits {
        name: name.to_string(),
        classes,
        train,
        test,
        split: SplitOrigin::Given,
        skipped: vec![],
    })
}
