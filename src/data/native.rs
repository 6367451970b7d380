//! Data from disk, natively (`cnnp --data`): a folder of IDX files, a
//! folder of class folders, or a zip of one; told apart by what is in it.
//! Images are decoded by the `image` crate (PNG, JPEG, GIF, BMP, WebP),
//! each one's header read first so that a huge one is skipped undecoded.

use std::io::Cursor;
use std::path::Path;

use super::contents::{self, Contents};
use super::folder::{self, Assembly, Decoded, FolderPlan};
use super::own::{OwnDataError, SkipReason, Splits};
use crate::picture::MAX_PIXELS;

/// The most a data set's images may take once decoded, natively.
pub const MEMORY_LIMIT: u64 = 4 << 30;
/// The most a zip may unpack to.
pub const UNPACKED_LIMIT: u64 = 4 << 30;
pub use super::contents::CLASS_NAMES_FILE;

/// An image's size, `(width, height)`, from its header alone.
fn dimensions(bytes: &[u8]) -> Result<(usize, usize), SkipReason> {
    let undecodable = |reason: String| SkipReason::Undecodable { reason };
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| undecodable(e.to_string()))?;
    let (width, height) = reader.into_dimensions().map_err(|e| undecodable(e.to_string()))?;
    Ok((width as usize, height as usize))
}

/// Decodes one image whose header gave `(width, height)`, refusing (to
/// skip it) one past `MAX_PIXELS`.
fn decode((width, height): (usize, usize), bytes: &[u8]) -> Result<Decoded, SkipReason> {
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(SkipReason::TooLarge { width, height });
    }
    let image = image::load_from_memory(bytes).map_err(|e| SkipReason::Undecodable {
        reason: e.to_string(),
    })?;
    Ok(Decoded {
        width,
        height,
        rgb: image.to_rgb8().into_raw(),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, OwnDataError> {
    std::fs::read(path).map_err(|e| OwnDataError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Every file under `dir`, as `/`-joined paths relative to it, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>, OwnDataError> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{prefix}{name}");
            match entry.file_type()?.is_dir() {
                true => walk(&entry.path(), &format!("{path}/"), out)?,
                false => out.push(path),
            }
        }
        Ok(())
    }
    let mut out = vec![];
    walk(dir, "", &mut out).map_err(|e| OwnDataError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    out.sort();
    Ok(out)
}

fn name_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "data".to_string(), |name| name.to_string_lossy().into_owned())
}

/// Plans, checks and decodes the images of a folder or zip: each header
/// read once, for the memory check and then for the decoding.
fn images(
    name: &str,
    plan: FolderPlan,
    bytes: Vec<Vec<u8>>,
    assembly: Assembly,
) -> Result<Splits, OwnDataError> {
    let sizes: Vec<_> = bytes.iter().map(|bytes| dimensions(bytes)).collect();
    let known = sizes.iter().flatten().copied();
    folder::check_headers(plan.images.len(), known, assembly.keep_colour, MEMORY_LIMIT)?;
    let decoded = sizes
        .into_iter()
        .zip(&bytes)
        .map(|(size, bytes)| size.and_then(|size| decode(size, bytes)))
        .collect();
    folder::assemble(name, plan, decoded, assembly)
}

/// A zip of a folder of class folders.
pub fn read_zip(path: &Path, assembly: Assembly) -> Result<Splits, OwnDataError> {
    let bytes = read(path)?;
    let (plan, files) = contents::zip_images(&bytes, UNPACKED_LIMIT)?;
    images(&name_of(path), plan, files, assembly)
}

/// A folder of IDX files (named by `classes.txt` beside them; else, in a
/// folder named for Fashion-MNIST, by the book's names; else by number), or
/// of class folders; or a zip of one.
pub fn read_data(path: &Path, assembly: Assembly) -> Result<Splits, OwnDataError> {
    if path.is_file() {
        return read_zip(path, assembly);
    }
    let files = files_under(path)?;
    let name = name_of(path);
    let contents = contents::contents(&files, &path.display().to_string())?;
    let bytes = contents
        .wanted(&files)
        .iter()
        .map(|file| read(&path.join(file)))
        .collect::<Result<Vec<_>, _>>()?;
    match contents {
        Contents::Idx {
            files: idx,
            class_names,
        } => contents::idx_splits(&name, &files, (idx, class_names), &bytes),
        Contents::Images(plan) => images(&name, plan, bytes, assembly),
    }
}
