//! What a folder of one's own holds, told from its files' names alone: the
//! four IDX files of an MNIST-like set (and a class list beside them), or
//! class folders of images. The page and `cnnp --data` both ask here, so a
//! folder is read the same way in each: the page reads from disk only the
//! files named here, and the worker pairs their bytes with the same list.

use super::archive;
use super::folder::{self, FolderPlan};
use super::own::{self, OwnDataError, Splits};

/// A class list beside IDX files: one name a line.
pub const CLASS_NAMES_FILE: &str = "classes.txt";

/// What a folder holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Contents {
    /// IDX files: indices into the paths of the training images and
    /// labels, the test images and labels, and the class list if any.
    Idx {
        files: [usize; 4],
        class_names: Option<usize>,
    },
    /// Class folders of images.
    Images(FolderPlan),
}

/// The four IDX files among `names`, by the names MNIST-like sets use
/// (`train-images-idx3-ubyte.gz`, `emnist-letters-test-labels-idx1-ubyte`…).
fn idx_files(names: &[String]) -> Option<[usize; 4]> {
    let find = |split: &[&str], kind: &str| {
        names.iter().position(|name| {
            let file = name.rsplit('/').next().unwrap_or(name);
            split.iter().any(|s| file.contains(&format!("{s}-{kind}")))
        })
    };
    Some([
        find(&["train"], "images")?,
        find(&["train"], "labels")?,
        find(&["t10k", "test"], "images")?,
        find(&["t10k", "test"], "labels")?,
    ])
}

/// What the folder whose files are `paths` (relative, `/`-joined) holds;
/// `folder` names it in the error when it is neither kind.
pub fn contents(paths: &[String], folder: &str) -> Result<Contents, OwnDataError> {
    if let Some(files) = idx_files(paths) {
        let depth = |path: &str| path.matches('/').count();
        let top = files.iter().map(|&i| depth(&paths[i])).min().unwrap_or(0);
        let class_names = paths
            .iter()
            .position(|path| path.rsplit('/').next() == Some(CLASS_NAMES_FILE) && depth(path) == top);
        return Ok(Contents::Idx { files, class_names });
    }
    match folder::plan(paths) {
        Err(OwnDataError::NoImages { .. }) => Err(OwnDataError::NotData {
            folder: folder.to_string(),
        }),
        plan => Ok(Contents::Images(plan?)),
    }
}

impl Contents {
    /// The paths whose bytes are needed, in the order `splits` takes them.
    pub fn wanted<'a>(&'a self, paths: &'a [String]) -> Vec<&'a str> {
        match self {
            Contents::Idx { files, class_names } => files
                .iter()
                .chain(class_names)
                .map(|&i| paths[i].as_str())
                .collect(),
            Contents::Images(plan) => plan.images.iter().map(|image| image.path.as_str()).collect(),
        }
    }
}

/// A zip of class folders: its plan, and each planned image's bytes
/// unpacked (all of them together at most `limit`).
pub fn zip_images(zip: &[u8], limit: u64) -> Result<(FolderPlan, Vec<Vec<u8>>), OwnDataError> {
    let plan = folder::plan(&archive::names(zip)?)?;
    let wanted: Vec<String> = plan.images.iter().map(|image| image.path.clone()).collect();
    let bytes = archive::unpack(zip, &wanted, limit)?;
    Ok((plan, bytes))
}

/// An IDX set from its files' bytes (`bytes` in `Contents::wanted`'s
/// order), named by its class list; without one, by the book's names when
/// the folder is named for Fashion-MNIST, else by number.
pub fn idx_splits(
    name: &str,
    paths: &[String],
    (files, class_names): ([usize; 4], Option<usize>),
    bytes: &[Vec<u8>],
) -> Result<Splits, OwnDataError> {
    let [Some(a), Some(b), Some(c), Some(d)] = [0, 1, 2, 3].map(|i| bytes.get(i)) else {
        return Err(OwnDataError::Unreadable {
            path: name.to_string(),
            reason: format!("{} of the 4 IDX files", bytes.len()),
        });
    };
    let names = match (class_names, bytes.get(4)) {
        (Some(_), Some(list)) => Some(String::from_utf8_lossy(list).into_owned()),
        _ if name.to_ascii_lowercase().contains("fashion") => Some(super::CLASS_NAMES.join("\n")),
        _ => None,
    };
    let [ta, tb, tc, td] = files.map(|i| paths[i].rsplit('/').next().unwrap_or(&paths[i]));
    own::from_idx(
        name,
        [(ta, a.as_slice()), (tb, b.as_slice())],
        [(tc, c.as_slice()), (td, d.as_slice())],
        names.as_deref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_picked_folder_of_idx_files_wants_them_and_its_class_list() {
        let picked = paths(&[
            "letters/classes.txt",
            "letters/emnist-letters-test-images-idx3-ubyte.gz",
            "letters/emnist-letters-test-labels-idx1-ubyte.gz",
            "letters/emnist-letters-train-images-idx3-ubyte.gz",
            "letters/emnist-letters-train-labels-idx1-ubyte.gz",
            "letters/old/classes.txt",
        ]);
        let contents = contents(&picked, "letters").unwrap();
        assert_eq!(
            contents.wanted(&picked),
            [
                "letters/emnist-letters-train-images-idx3-ubyte.gz",
                "letters/emnist-letters-train-labels-idx1-ubyte.gz",
                "letters/emnist-letters-test-images-idx3-ubyte.gz",
                "letters/emnist-letters-test-labels-idx1-ubyte.gz",
                "letters/classes.txt",
            ]
        );
    }

    #[test]
    fn class_folders_want_their_images_in_plan_order_and_neither_is_said() {
        let picked = paths(&[
            "shapes/b/2.png",
            "shapes/a/1.png",
            "shapes/a/notes.txt",
            "shapes/b/1.png",
        ]);
        let contents = contents(&picked, "shapes").unwrap();
        assert_eq!(
            contents.wanted(&picked),
            ["a/1.png", "b/1.png", "b/2.png"].map(|p| format!("shapes/{p}"))
        );
        assert_eq!(
            super::contents(&paths(&["x/readme.md"]), "x"),
            Err(OwnDataError::NotData { folder: "x".into() })
        );
    }
}
