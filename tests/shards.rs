//! The shards the build makes (`scripts/make_shards.py`) are the canonical
//! Fashion-MNIST files cut up: joined, they equal the canonical files byte
//! for byte (after decompression), and the worker's reader
//! (`data::shards`) gives the same examples as the canonical loader.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use cnn_playground::data::shards::{FOLDER, MANIFEST, Manifest, Split};
use cnn_playground::data::{self, Dataset};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![];
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

/// Runs the build's script into a fresh folder (through its cache, as the
/// build does), as the data folder's `shards/`.
fn made_shards(test: &str) -> PathBuf {
    let out = std::env::temp_dir().join(format!("cnnp-shards-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new("python3")
        .arg(root().join("scripts/make_shards.py"))
        .arg(root().join("assets/fashion-mnist"))
        .arg(out.join(FOLDER))
        .status()
        .expect("python3 runs scripts/make_shards.py (scripts/setup.sh installs it)");
    assert!(status.success(), "make_shards.py failed");
    out
}

/// The split's shards joined: (labels, pixels), each checked and read the
/// way the worker reads them.
fn joined(dir: &Path, split: &Split) -> (Vec<u8>, Vec<u8>, Dataset) {
    let (mut labels, mut pixels) = (vec![], vec![]);
    let mut set: Option<Dataset> = None;
    for shard in &split.shards {
        let gz = std::fs::read(dir.join(FOLDER).join(&shard.file)).unwrap();
        let body = gunzip(&gz);
        let (l, p) = body.split_at(shard.images);
        labels.extend_from_slice(l);
        pixels.extend_from_slice(p);
        let part = shard
            .decode(&gz)
            .unwrap_or_else(|e| panic!("{}: {e:?}", shard.file));
        match &mut set {
            Some(set) => set.append(part),
            None => set = Some(part),
        }
    }
    (labels, pixels, set.unwrap())
}

#[test]
fn joined_shards_are_the_canonical_files_byte_for_byte() {
    let dir = made_shards("joined");
    let manifest = Manifest::parse(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(manifest.per_shard, 1000);
    let canonical = root().join("assets/fashion-mnist");
    for (split, images, labels_file, count) in [
        (&manifest.train, data::TRAIN_IMAGES, data::TRAIN_LABELS, 60_000),
        (&manifest.test, data::TEST_IMAGES, data::TEST_LABELS, 10_000),
    ] {
        assert_eq!(split.count, count);
        assert_eq!(split.shards.len(), count / 1000);
        let (labels, pixels, set) = joined(&dir, split);
        let images_gz = std::fs::read(canonical.join(images)).unwrap();
        let labels_gz = std::fs::read(canonical.join(labels_file)).unwrap();
        // The canonical file is its header and then exactly these bytes.
        let mut header = vec![];
        header.extend(2051u32.to_be_bytes());
        header.extend((count as u32).to_be_bytes());
        header.extend(28u32.to_be_bytes());
        header.extend(28u32.to_be_bytes());
        assert!(gunzip(&images_gz) == [header, pixels].concat(), "{images}");
        let mut header = vec![];
        header.extend(2049u32.to_be_bytes());
        header.extend((count as u32).to_be_bytes());
        assert!(gunzip(&labels_gz) == [header, labels].concat(), "{labels_file}");
        // And the worker's reader gives what the canonical loader gives.
        let whole = Dataset::from_gz(images, &images_gz, labels_file, &labels_gz).unwrap();
        assert!(set == whole, "{images}: the shards read differently");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_subset_fetches_about_its_own_size() {
    let dir = made_shards("subset");
    let manifest = Manifest::parse(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
    let bytes = |split: &Split, images: usize| -> u64 {
        split.shards[..split.shards_for(images)]
            .iter()
            .map(|s| s.bytes)
            .sum()
    };
    // 2,000 training and 500 test images: three shards, about 1.3 MB of
    // the 30.7 MB the canonical files are.
    let subset = bytes(&manifest.train, 2000) + bytes(&manifest.test, 500);
    let all = bytes(&manifest.train, 60_000) + bytes(&manifest.test, 10_000);
    println!("2000 + 500 images: {subset} bytes of {all}");
    assert!(subset < 1_400_000, "{subset}");
    assert!(all < 31_000_000, "{all}");
    let _ = std::fs::remove_dir_all(&dir);
}
