//! A zip of a folder of images, read in memory (the page has its bytes, not
//! a path) with the `zip` crate: its names first, so that only the images
//! a plan keeps are unpacked, and every unpacking bounded, so that a zip
//! bomb is refused rather than obeyed.

use std::io::{Cursor, Read};

use super::own::{ArchiveProblem, OwnDataError};

/// The most entries a zip may list.
pub const MAX_ENTRIES: usize = 200_000;

fn problem(problem: ArchiveProblem) -> OwnDataError {
    OwnDataError::Archive { problem }
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, OwnDataError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        problem(ArchiveProblem::Unreadable {
            reason: e.to_string(),
        })
    })?;
    match archive.len() > MAX_ENTRIES {
        true => Err(problem(ArchiveProblem::TooManyEntries {
            found: archive.len(),
            limit: MAX_ENTRIES,
        })),
        false => Ok(archive),
    }
}

/// The names of the files in a zip (directories left out), as stored.
pub fn names(bytes: &[u8]) -> Result<Vec<String>, OwnDataError> {
    let archive = open(bytes)?;
    let mut names = vec![];
    for name in archive.file_names() {
        let name = name.map_err(|e| {
            problem(ArchiveProblem::Unreadable {
                reason: e.to_string(),
            })
        })?;
        if !name.ends_with('/') {
            names.push(name.into_owned());
        }
    }
    Ok(names)
}

/// The bytes of the files `wanted` (names as `names` gives them), in that
/// order; refused when together they unpack to more than `limit` bytes,
/// whatever the zip's headers claim.
pub fn unpack(bytes: &[u8], wanted: &[String], limit: u64) -> Result<Vec<Vec<u8>>, OwnDataError> {
    let mut archive = open(bytes)?;
    let mut left = limit;
    let mut files = Vec::with_capacity(wanted.len());
    for name in wanted {
        let entry_problem = |reason: String| {
            problem(ArchiveProblem::Entry {
                name: name.clone(),
                reason,
            })
        };
        let entry = archive.by_name(name).map_err(|e| entry_problem(e.to_string()))?;
        let mut out = Vec::with_capacity((entry.size().min(left) as usize).min(64 << 20));
        entry
            .take(left + 1)
            .read_to_end(&mut out)
            .map_err(|e| entry_problem(e.to_string()))?;
        if out.len() as u64 > left {
            return Err(problem(ArchiveProblem::TooLarge { limit }));
        }
        left -= out.len() as u64;
        files.push(out);
    }
    Ok(files)
}
