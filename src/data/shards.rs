//! Fashion-MNIST by the slice: the canonical files cut into shards of a
//! thousand examples when the site is built (`scripts/make_shards.py`), so
//! that a run on the first 2,000 training images fetches two shards rather
//! than the whole 26 MB file. A shard of n examples is gzip(labels[n] ++
//! pixels[n × 784]): the canonical files' records, in order, without their
//! headers. `manifest.json` beside them names each shard with its image
//! count, size and SHA-256; a shard is checked against it before it is
//! decoded, so one cut short or damaged on the way is caught by name.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{DataError, Dataset, SIDE, gunzip};

/// The manifest, relative to the data's folder.
pub const MANIFEST: &str = "shards/manifest.json";
/// The folder of the shards, relative to the data's folder.
pub const FOLDER: &str = "shards/";
/// The layout this reader understands (`make_shards.py`'s `LAYOUT`).
pub const LAYOUT: u32 = 1;

/// What the build made: the shards of each split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub layout: u32,
    pub per_shard: usize,
    pub train: Split,
    pub test: Split,
}

/// One split's shards, in example order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Examples in the whole split.
    pub count: usize,
    pub shards: Vec<Shard>,
}

/// One shard as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Its file name, in [`FOLDER`].
    pub file: String,
    pub images: usize,
    /// Its size as served (gzip).
    pub bytes: u64,
    /// The SHA-256 of those bytes, in lowercase hex.
    pub sha256: String,
}

/// Why a shard that arrived cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ShardProblem {
    /// Fewer (or more) bytes than the manifest lists.
    WrongSize { got: u64, expected: u64 },
    /// The right size, other bytes.
    Checksum,
    /// The checksum holds but the content is not what a shard holds.
    Content { error: DataError },
}

/// Why a manifest cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ManifestProblem {
    /// Not the JSON of a manifest: the parser's words.
    Unreadable { detail: String },
    /// A layout this reader does not know.
    Layout { found: u32 },
    /// A split's shards do not add up to its count, or are not full
    /// shards but for the last.
    Inconsistent,
}

impl Manifest {
    /// Reads and checks a manifest.
    pub fn parse(json: &[u8]) -> Result<Manifest, ManifestProblem> {
        let manifest: Manifest = serde_json::from_slice(json).map_err(|e| ManifestProblem::Unreadable {
            detail: e.to_string(),
        })?;
        if manifest.layout != LAYOUT {
            return Err(ManifestProblem::Layout {
                found: manifest.layout,
            });
        }
        let consistent = |split: &Split| {
            let n = split.shards.len();
            manifest.per_shard > 0
                && split.shards.iter().map(|s| s.images).sum::<usize>() == split.count
                && split
                    .shards
                    .iter()
                    .enumerate()
                    .all(|(i, s)| s.images > 0 && (s.images == manifest.per_shard || i + 1 == n))
        };
        if !consistent(&manifest.train) || !consistent(&manifest.test) {
            return Err(ManifestProblem::Inconsistent);
        }
        Ok(manifest)
    }
}

impl Split {
    /// How many shards, from the first, hold the first `images` examples
    /// (all of them when `images` passes the split's count).
    pub fn shards_for(&self, images: usize) -> usize {
        let mut held = 0;
        for (n, shard) in self.shards.iter().enumerate() {
            if held >= images {
                return n;
            }
            held += shard.images;
        }
        self.shards.len()
    }

    /// The examples in the first `shards` shards.
    pub fn images_in(&self, shards: usize) -> usize {
        self.shards.iter().take(shards).map(|s| s.images).sum()
    }
}

impl Shard {
    /// Whether `gz` is this shard as the build made it.
    pub fn check(&self, gz: &[u8]) -> Result<(), ShardProblem> {
        if gz.len() as u64 != self.bytes {
            return Err(ShardProblem::WrongSize {
                got: gz.len() as u64,
                expected: self.bytes,
            });
        }
        if hex(&Sha256::digest(gz)) != self.sha256.to_ascii_lowercase() {
            return Err(ShardProblem::Checksum);
        }
        Ok(())
    }

    /// Checks `gz` and decodes it into its examples.
    pub fn decode(&self, gz: &[u8]) -> Result<Dataset, ShardProblem> {
        self.check(gz)?;
        let content = |error| ShardProblem::Content { error };
        let body = gunzip(&self.file, gz).map_err(content)?;
        let expected = self.images * (1 + SIDE * SIDE);
        if body.len() != expected {
            return Err(content(DataError::Truncated {
                file: self.file.clone(),
                expected: expected as u64,
                found: body.len() as u64,
            }));
        }
        let (labels, pixels) = body.split_at(self.images);
        if let Some((index, &value)) = labels.iter().enumerate().find(|&(_, &label)| label > 9) {
            return Err(content(DataError::BadLabel {
                file: self.file.clone(),
                index,
                value,
            }));
        }
        Dataset::new(pixels.to_vec(), labels.to_vec()).map_err(content)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(vec![], flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn shard_of(labels: &[u8], fill: u8) -> (Shard, Vec<u8>) {
        let mut body = labels.to_vec();
        body.extend(std::iter::repeat_n(fill, labels.len() * SIDE * SIDE));
        let bytes = gz(&body);
        let shard = Shard {
            file: "train-000-x.gz".into(),
            images: labels.len(),
            bytes: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        };
        (shard, bytes)
    }

    fn split(sizes: &[usize]) -> Split {
        Split {
            count: sizes.iter().sum(),
            shards: sizes
                .iter()
                .map(|&images| Shard {
                    file: String::new(),
                    images,
                    bytes: 1,
                    sha256: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_subset_needs_the_shards_that_hold_it() {
        let train = split(&[1000; 60]);
        assert_eq!(train.shards_for(0), 0);
        assert_eq!(train.shards_for(1), 1);
        assert_eq!(train.shards_for(1000), 1);
        assert_eq!(train.shards_for(2000), 2);
        assert_eq!(train.shards_for(2001), 3);
        assert_eq!(train.shards_for(60_000), 60);
        assert_eq!(train.shards_for(usize::MAX), 60);
        assert_eq!(train.images_in(2), 2000);
        let odd = split(&[1000, 1000, 500]);
        assert_eq!(odd.shards_for(2400), 3);
        assert_eq!(odd.images_in(3), 2500);
    }

    #[test]
    fn a_shard_is_checked_before_it_is_read() {
        let (shard, bytes) = shard_of(&[3, 9, 0], 7);
        let set = shard.decode(&bytes).unwrap();
        assert_eq!(set.len(), 3);
        assert_eq!(set.label(1), 9);
        assert_eq!(set.image(2), &[7u8; SIDE * SIDE][..]);
        assert_eq!(
            shard.decode(&bytes[..bytes.len() - 5]),
            Err(ShardProblem::WrongSize {
                got: bytes.len() as u64 - 5,
                expected: bytes.len() as u64,
            })
        );
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert_eq!(shard.decode(&flipped), Err(ShardProblem::Checksum));
        // The right checksum of the wrong content (a bad build).
        let (mut bad, bad_bytes) = shard_of(&[3, 10], 0);
        assert!(matches!(
            bad.decode(&bad_bytes),
            Err(ShardProblem::Content {
                error: DataError::BadLabel { value: 10, .. }
            })
        ));
        bad.images = 3;
        assert!(matches!(
            bad.decode(&bad_bytes),
            Err(ShardProblem::Content {
                error: DataError::Truncated { .. }
            })
        ));
    }

    #[test]
    fn a_manifest_adds_up_or_is_refused() {
        let manifest = Manifest {
            layout: LAYOUT,
            per_shard: 1000,
            train: split(&[1000, 1000, 500]),
            test: split(&[1000]),
        };
        let json = serde_json::to_vec(&manifest).unwrap();
        assert_eq!(Manifest::parse(&json), Ok(manifest.clone()));
        let mut gap = manifest.clone();
        gap.train.shards[1].images = 500;
        assert_eq!(
            Manifest::parse(&serde_json::to_vec(&gap).unwrap()),
            Err(ManifestProblem::Inconsistent)
        );
        let mut miscounted = manifest.clone();
        miscounted.test.count = 999;
        assert_eq!(
            Manifest::parse(&serde_json::to_vec(&miscounted).unwrap()),
            Err(ManifestProblem::Inconsistent)
        );
        let mut newer = manifest;
        newer.layout = 2;
        assert_eq!(
            Manifest::parse(&serde_json::to_vec(&newer).unwrap()),
            Err(ManifestProblem::Layout { found: 2 })
        );
        assert!(matches!(
            Manifest::parse(b"<html>not found</html>"),
            Err(ManifestProblem::Unreadable { .. })
        ));
    }
}
