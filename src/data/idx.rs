//! IDX files of any MNIST-like set (MNIST, KMNIST, EMNIST…): images of any
//! size, labels of any class, gzip-compressed or not.

use super::{DataError, IdxKind, ImageFormat, body, check_magic, gunzip, header};

const IMAGES_MAGIC: u32 = 2051;
const LABELS_MAGIC: u32 = 2049;
/// The largest image side an IDX file may give (MNIST's is 28).
pub const MAX_SIDE: usize = 1024;

/// The bytes of a file as published: gzip-compressed (by its magic bytes)
/// or not.
fn unpacked(file: &str, bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    match bytes.starts_with(&[0x1f, 0x8b]) {
        true => gunzip(file, bytes),
        false => match bytes.len() as u64 > super::MAX_DECOMPRESSED {
            true => Err(DataError::TooLarge {
                file: file.to_string(),
                limit: super::MAX_DECOMPRESSED,
            }),
            false => Ok(bytes.to_vec()),
        },
    }
}

/// An IDX image file (magic 2051): the images' format (grey) and levels.
pub fn images(file: &str, bytes: &[u8]) -> Result<(ImageFormat, Vec<u8>), DataError> {
    images_from(file, &unpacked(file, bytes)?)
}

/// An IDX label file (magic 2049): one byte a label, any class.
pub fn labels(file: &str, bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    labels_from(file, &unpacked(file, bytes)?)
}

/// Images from the decompressed bytes of an IDX image file.
pub(super) fn images_from(file: &str, bytes: &[u8]) -> Result<(ImageFormat, Vec<u8>), DataError> {
    let [magic, count, rows, cols] = header::<4>(file, bytes)?;
    check_magic(file, magic, IMAGES_MAGIC, IdxKind::Images)?;
    let (rows, cols) = (rows as usize, cols as usize);
    if !(1..=MAX_SIDE).contains(&rows) || !(1..=MAX_SIDE).contains(&cols) {
        return Err(DataError::BadDimensions {
            file: file.to_string(),
            rows,
            cols,
        });
    }
    let pixels = body(file, bytes, 16, count as u64 * (rows * cols) as u64)?;
    let format = ImageFormat {
        channels: 1,
        height: rows,
        width: cols,
    };
    Ok((format, pixels.to_vec()))
}

/// Labels from the decompressed bytes of an IDX label file.
pub(super) fn labels_from(file: &str, bytes: &[u8]) -> Result<Vec<u8>, DataError> {
    let [magic, count] = header::<2>(file, bytes)?;
    check_magic(file, magic, LABELS_MAGIC, IdxKind::Labels)?;
    Ok(body(file, bytes, 8, count as u64)?.to_vec())
}
