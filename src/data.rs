//! Fashion-MNIST: the IDX files, decoded from their gzip bytes (in the
//! browser they arrive by fetch, so this never sees a path), checked, and
//! cut into batches the way the book's `load_data_fashion_mnist` does:
//! pixels scaled to [0, 1], a bilinear resize where the net needs a larger
//! input, the train set shuffled every epoch.

use std::io::Read;

use flate2::read::GzDecoder;
use serde::{Deserialize, Serialize};

pub mod archive;
pub mod contents;
pub mod folder;
pub mod idx;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
pub mod own;
mod resize;
pub mod shards;

pub use resize::Resize;

pub use crate::i18n::data::FashionClass;

/// Images are 28×28 grey pixels.
pub const SIDE: usize = 28;
/// The largest decompressed file we accept: the train images are 47 MB, and
/// a corrupt or hostile file must not make us allocate without bound.
const MAX_DECOMPRESSED: u64 = 64 << 20;

/// The ten classes, in label order, as the book's code names them (its
/// `get_fashion_mnist_labels`); in the reader's language, [`FashionClass`].
pub const CLASS_NAMES: [&str; 10] = [
    "t-shirt",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
];

/// The four files, as published.
pub const TRAIN_IMAGES: &str = "train-images-idx3-ubyte.gz";
pub const TRAIN_LABELS: &str = "train-labels-idx1-ubyte.gz";
pub const TEST_IMAGES: &str = "t10k-images-idx3-ubyte.gz";
pub const TEST_LABELS: &str = "t10k-labels-idx1-ubyte.gz";

/// Why a file cannot be used; each says which file and what is wrong (in
/// both languages: `crate::i18n::data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DataError {
    /// `x.gz: not a readable gzip file (…)`
    Gzip { file: String, reason: GzipProblem },
    /// `x.gz: decompresses to more than 67108864 bytes; …`
    TooLarge { file: String, limit: u64 },
    /// `i: magic number 2049, expected 2051 (images file)`
    BadMagic {
        file: String,
        found: u32,
        expected: u32,
        kind: IdxKind,
    },
    /// `l: truncated: the header promises 8 bytes, the file has 3`
    Truncated { file: String, expected: u64, found: u64 },
    /// `i: 2372 bytes where the header promises 2367: extra data …`
    TrailingData { file: String, expected: u64, found: u64 },
    /// `i: images are 32×28, expected 28×28`
    BadDimensions { file: String, rows: usize, cols: usize },
    /// `3 images but 2 labels; …`
    CountMismatch { count: usize, labels: usize },
    /// `l: label 10 at index 2 is outside 0..9`
    BadLabel { file: String, index: usize, value: u8 },
    /// `l: holds no records`
    Empty { file: String },
}

/// Why a gzip file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GzipProblem {
    /// It ends early: the download may be incomplete.
    EndsEarly,
    /// The decoder's own words (English).
    Other(String),
}

/// What an IDX file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdxKind {
    Images,
    Labels,
}

/// The size of every image of a data set: channels (1 grey, 3 colour) of
/// `height`×`width` levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageFormat {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl ImageFormat {
    /// Fashion-MNIST's: 28×28 grey levels.
    pub const FASHION: ImageFormat = ImageFormat {
        channels: 1,
        height: SIDE,
        width: SIDE,
    };

    /// Bytes (levels) in one image.
    pub fn len(self) -> usize {
        self.channels
            .saturating_mul(self.height)
            .saturating_mul(self.width)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Images and their labels, as the files hold them.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// `len() * format.len()` levels: image after image, each channel after
    /// channel, each row-major (as a `[N, C, H, W]` tensor lies).
    pixels: Vec<u8>,
    labels: Vec<u8>,
    format: ImageFormat,
}

fn gunzip(file: &str, gz: &[u8]) -> Result<Vec<u8>, DataError> {
    let mut bytes = Vec::new();
    GzDecoder::new(gz)
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DataError::Gzip {
            file: file.to_string(),
            reason: match e.kind() {
                std::io::ErrorKind::UnexpectedEof => GzipProblem::EndsEarly,
                _ => GzipProblem::Other(e.to_string()),
            },
        })?;
    if bytes.len() as u64 > MAX_DECOMPRESSED {
        return Err(DataError::TooLarge {
            file: file.to_string(),
            limit: MAX_DECOMPRESSED,
        });
    }
    Ok(bytes)
}

/// Reads big-endian u32s from the start of `bytes`, checking they are there.
fn header<const N: usize>(file: &str, bytes: &[u8]) -> Result<[u32; N], DataError> {
    if bytes.len() < 4 * N {
        return Err(DataError::Truncated {
            file: file.to_string(),
            expected: 4 * N as u64,
            found: bytes.len() as u64,
        });
    }
    Ok(std::array::from_fn(|i| {
        u32::from_be_bytes(bytes[4 * i..4 * i + 4].try_into().expect("four bytes"))
    }))
}

fn check_magic(file: &str, found: u32, expected: u32, kind: IdxKind) -> Result<(), DataError> {
    match found == expected {
        true => Ok(()),
        false => Err(DataError::BadMagic {
            file: file.to_string(),
            found,
            expected,
            kind,
        }),
    }
}

/// The body after a header of `header_len` bytes, which must hold exactly
/// `body_len` bytes.
fn body<'a>(file: &str, bytes: &'a [u8], header_len: usize, body_len: u64) -> Result<&'a [u8], DataError> {
    let expected = header_len as u64 + body_len;
    let found = bytes.len() as u64;
    if found < expected {
        return Err(DataError::Truncated {
            file: file.to_string(),
            expected,
            found,
        });
    }
    if found > expected {
        return Err(DataError::TrailingData {
            file: file.to_string(),
            expected,
            found,
        });
    }
    if body_len == 0 {
        return Err(DataError::Empty {
            file: file.to_string(),
        });
    }
    Ok(&bytes[header_len..])
}

/// Decodes a gzip-compressed IDX image file (magic 2051) of 28×28 images.
pub fn decode_images(file: &str, gz: &[u8]) -> Result<Vec<u8>, DataError> {
    let bytes = gunzip(file, gz)?;
    let (format, pixels) = idx::images_from(file, &bytes)?;
    if format.height != SIDE || format.width != SIDE {
        return Err(DataError::BadDimensions {
            file: file.to_string(),
            rows: format.height,
            cols: format.width,
        });
    }
    Ok(pixels)
}

/// Decodes a gzip-compressed IDX label file (magic 2049) of labels 0..9.
pub fn decode_labels(file: &str, gz: &[u8]) -> Result<Vec<u8>, DataError> {
    let bytes = gunzip(file, gz)?;
    let labels = idx::labels_from(file, &bytes)?;
    if let Some((index, &value)) = labels.iter().enumerate().find(|&(_, &label)| label > 9) {
        return Err(DataError::BadLabel {
            file: file.to_string(),
            index,
            value,
        });
    }
    Ok(labels)
}

impl Dataset {
    /// The images and labels of one split, from their gzip bytes.
    pub fn from_gz(
        images_file: &str,
        images_gz: &[u8],
        labels_file: &str,
        labels_gz: &[u8],
    ) -> Result<Dataset, DataError> {
        let pixels = decode_images(images_file, images_gz)?;
        let labels = decode_labels(labels_file, labels_gz)?;
        Dataset::new(pixels, labels)
    }

    /// From decoded grey levels (`n * 28 * 28`) and labels (`n`).
    pub fn new(pixels: Vec<u8>, labels: Vec<u8>) -> Result<Dataset, DataError> {
        Dataset::of_format(ImageFormat::FASHION, pixels, labels)
    }

    /// From images of `format` (`n * format.len()` levels) and labels (`n`).
    pub fn of_format(format: ImageFormat, pixels: Vec<u8>, labels: Vec<u8>) -> Result<Dataset, DataError> {
        let per_image = format.len().max(1);
        let count = pixels.len() / per_image;
        if count != labels.len() || !pixels.len().is_multiple_of(per_image) {
            return Err(DataError::CountMismatch {
                count,
                labels: labels.len(),
            });
        }
        Ok(Dataset {
            pixels,
            labels,
            format,
        })
    }

    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// Every label, in order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The examples at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut pixels = Vec::with_capacity(indices.len() * self.format.len());
        for &index in indices {
            pixels.extend_from_slice(self.image(index));
        }
        let labels = indices.iter().map(|&index| self.labels[index]).collect();
        Dataset {
            pixels,
            labels,
            format: self.format,
        }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    pub fn label(&self, index: usize) -> u8 {
        self.labels[index]
    }

    /// The levels of image `index` (Fashion-MNIST's: 28×28 grey levels,
    /// row-major).
    pub fn image(&self, index: usize) -> &[u8] {
        let len = self.format.len();
        &self.pixels[index * len..(index + 1) * len]
    }

    /// `more` (of the same format) after these examples: a shard after the
    /// ones before it.
    pub fn append(&mut self, more: Dataset) {
        debug_assert_eq!(self.format, more.format, "appended data of another format");
        self.pixels.extend(more.pixels);
        self.labels.extend(more.labels);
    }

    /// The first `limit` examples (all of them when `limit` is larger).
    pub fn truncated(&self, limit: usize) -> Dataset {
        let n = limit.min(self.len());
        Dataset {
            pixels: self.pixels[..n * self.format.len()].to_vec(),
            labels: self.labels[..n].to_vec(),
            format: self.format,
        }
    }

    /// The examples at `indices`, as a batch of `side`×`side` images.
    pub fn batch(&self, indices: &[usize], resize: &Resize) -> Batch {
        let side = resize.side();
        let channels = self.format.channels;
        let taps = resize.taps(self.format);
        let mut images = Vec::with_capacity(indices.len() * channels * side * side);
        let mut labels = Vec::with_capacity(indices.len());
        for &index in indices {
            Resize::apply(self.format, &taps, self.image(index), &mut images);
            labels.push(self.labels[index] as i64);
        }
        Batch {
            images,
            labels,
            channels,
            side,
        }
    }
}

/// Images `[N, channels, side, side]` in [0, 1], with their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub images: Vec<f32>,
    pub labels: Vec<i64>,
    pub channels: usize,
    pub side: usize,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// A small, fast, seedable generator (SplitMix64), so a seed gives the same
/// shuffles on every platform, the browser included.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n ≥ 1), without modulo bias worth mentioning at our sizes.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// The order of `n` examples in epoch `epoch`: a Fisher–Yates shuffle seeded
/// by `seed` and the epoch, so every epoch differs and every run repeats.
pub fn epoch_order(n: usize, seed: u64, epoch: usize) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed ^ (epoch as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}
