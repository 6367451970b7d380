//! Data of one's own made for the tests: three colour classes of simple
//! shapes as PNGs (a folder, a zip of it) and a 26-class IDX set.

use std::io::Write;
use std::path::{Path, PathBuf};

use cnn_playground::data::native;

pub const CLASSES: [&str; 3] = ["blue-triangle", "green-square", "red-circle"];
pub const PER_CLASS: usize = 60;

/// A fresh folder for one test's files.
pub fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cnnp-own-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Image `i` of class `class`: its shape at a varying place and size, in
/// a varying shade of its colour, on a dark noisy background.
pub fn shape_image(class: usize, i: usize) -> image::RgbImage {
    let mut rng = super::Mutator(0x9E37_79B9 ^ ((class * 1000 + i) as u64 + 1));
    let (cx, cy) = (10 + rng.below(12) as i32, 10 + rng.below(12) as i32);
    let r = 5 + rng.below(5) as i32;
    let shade = 160 + rng.below(96) as u8;
    image::RgbImage::from_fn(32, 32, |x, y| {
        let (dx, dy) = (x as i32 - cx, y as i32 - cy);
        let inside = match class {
            0 => dy <= r && dy >= -r && dx.abs() * 2 <= dy + r,
            1 => dx.abs() <= r && dy.abs() <= r,
            _ => dx * dx + dy * dy <= r * r,
        };
        let noise = rng.below(40) as u8;
        match inside {
            true => {
                let mut pixel = [noise; 3];
                pixel[2 - class.min(2)] = shade;
                image::Rgb(pixel)
            }
            false => image::Rgb([noise, noise, noise]),
        }
    })
}

/// The fixture: `root/<class>/<i>.png`, and a note that is not an image.
pub fn fixture(root: &Path) {
    for (class, name) in CLASSES.iter().enumerate() {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..PER_CLASS {
            shape_image(class, i)
                .save(dir.join(format!("{i:03}.png")))
                .unwrap();
        }
    }
    std::fs::write(root.join(CLASSES[0]).join("notes.txt"), "drawn by a test").unwrap();
}

/// Every file under `root` in a zip, under the folder's own name.
pub fn zip_of(root: &Path, out: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let name = root.file_name().unwrap().to_string_lossy().into_owned();
    for class in std::fs::read_dir(root).unwrap() {
        let class = class.unwrap().path();
        for file in std::fs::read_dir(&class).unwrap() {
            let file = file.unwrap().path();
            let inner = format!(
                "{name}/{}/{}",
                class.file_name().unwrap().to_string_lossy(),
                file.file_name().unwrap().to_string_lossy()
            );
            zip.start_file(inner, options).unwrap();
            zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
        }
    }
    zip.finish().unwrap();
}

/// An IDX file: `magic`, the counts, the body.
pub fn idx(magic: u32, dims: &[u32], body: &[u8]) -> Vec<u8> {
    let mut out = magic.to_be_bytes().to_vec();
    for dim in dims {
        out.extend(dim.to_be_bytes());
    }
    out.extend_from_slice(body);
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(vec![], flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A 26-class set of 28×28 images, each class a bright bar at its own row.
pub fn letters(dir: &Path, per_class: usize, names: bool) {
    std::fs::create_dir_all(dir).unwrap();
    for (split, count) in [("train", per_class), ("t10k", 2)] {
        let n = 26 * count;
        let labels: Vec<u8> = (0..n).map(|i| (i % 26) as u8).collect();
        let mut pixels = vec![0u8; n * 28 * 28];
        for (i, &label) in labels.iter().enumerate() {
            let row = label as usize + 1;
            pixels[i * 784 + row * 28..i * 784 + row * 28 + 28].fill(255);
        }
        let images = idx(2051, &[n as u32, 28, 28], &pixels);
        std::fs::write(dir.join(format!("{split}-images-idx3-ubyte.gz")), gzip(&images)).unwrap();
        // Labels uncompressed: both are read.
        std::fs::write(
            dir.join(format!("{split}-labels-idx1-ubyte")),
            idx(2049, &[n as u32], &labels),
        )
        .unwrap();
    }
    if names {
        let list: Vec<String> = (b'a'..=b'z').map(|c| (c as char).to_string()).collect();
        std::fs::write(dir.join(native::CLASS_NAMES_FILE), list.join("\n")).unwrap();
    }
}

pub fn shape_image_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(vec![]);
    shape_image(0, 0)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}
