//! A folder (or zip) of images in the layout torchvision's `ImageFolder`
//! reads: `root/<class>/<image>`, with an optional `train/` and `test/`
//! split at the top. Planned from the files' paths alone (`plan`), so that
//! nothing is decoded that will not be used; assembled from the decoded
//! images (`assemble`) — decoded by the browser in the page, by the
//! `image` crate natively.

use std::collections::{BTreeMap, BTreeSet};

use super::own::{OwnDataError, SkipReason, Skipped, SplitOrigin, Splits, check_classes, split_drawn};
use super::resize::{Taps, plane};
use super::{Dataset, ImageFormat};

/// The image types read (by the name's ending, as `ImageFolder` does).
pub const IMAGE_TYPES: [&str; 6] = ["png", "jpg", "jpeg", "gif", "bmp", "webp"];

/// What a folder holds, by path.
#[derive(Clone, Debug, PartialEq)]
pub struct FolderPlan {
    /// The folder's own name, where the paths share one.
    pub root: Option<String>,
    /// Class names, sorted (as `ImageFolder` sorts them): label order.
    pub classes: Vec<String>,
    /// The images to decode: class by class, each by path.
    pub images: Vec<PlannedImage>,
    pub skipped: Vec<Skipped>,
    /// The folder has `train/` and `test/`.
    pub split_given: bool,
}

/// One image of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedImage {
    /// As given to `plan`.
    pub path: String,
    pub label: u8,
    /// In `test/`.
    pub test: bool,
}

/// An image as decoded: `width`×`height` RGB triples, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

/// How decoded images become a data set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assembly {
    /// Seeds the split drawn when the folder brings none.
    pub seed: u64,
    pub test_share: f64,
    /// Keep three channels when any image has colour (else grey).
    pub keep_colour: bool,
}

impl Default for Assembly {
    fn default() -> Self {
        Assembly {
            seed: 0,
            test_share: super::own::TEST_SHARE,
            keep_colour: true,
        }
    }
}

/// Files a folder's readers drop without a word: the system's (`.DS_Store`,
/// a zip's `__MACOSX/`), hidden ones.
fn is_hidden(parts: &[&str]) -> bool {
    parts
        .iter()
        .any(|part| part.starts_with('.') || *part == "__MACOSX")
}

fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    IMAGE_TYPES
        .iter()
        .any(|kind| lower.rsplit_once('.').is_some_and(|(_, ext)| ext == *kind))
}

/// Plans a folder from its files' paths (`/` or `\` between parts;
/// directories' own entries are ignored).
pub fn plan(paths: &[String]) -> Result<FolderPlan, OwnDataError> {
    let files: Vec<(usize, Vec<&str>)> = paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            (
                i,
                path.split(['/', '\\'])
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(i, parts)| !parts.is_empty() && !paths[*i].ends_with('/') && !is_hidden(parts))
        .collect();
    // A shared top folder is the folder itself (a picked folder's name, a
    // zip's root), unless it is the only class.
    let mut depth = 0;
    let mut root = None;
    while let Some(&top) = files.first().and_then(|(_, first)| first.get(depth)) {
        let shared = files
            .iter()
            .all(|(_, parts)| parts.len() > depth + 1 && parts[depth] == top);
        let deeper = files.iter().any(|(_, parts)| parts.len() > depth + 2);
        if !(shared && deeper) {
            break;
        }
        root = Some(top.to_string());
        depth += 1;
    }
    let tops: BTreeSet<String> = files
        .iter()
        .filter(|(_, parts)| parts.len() > depth + 1)
        .map(|(_, parts)| parts[depth].to_ascii_lowercase())
        .collect();
    let split_given = tops.contains("train") && tops.iter().all(|top| top == "train" || top == "test");
    let mut skipped = vec![];
    // (class, test, path index) of each image; classes seen in any path.
    let mut found: Vec<(String, bool, usize)> = vec![];
    let mut seen: BTreeMap<(String, bool), usize> = BTreeMap::new();
    for (i, parts) in &files {
        let mut rest = &parts[depth..];
        let mut test = false;
        if split_given && rest.len() > 1 {
            test = rest[0].eq_ignore_ascii_case("test");
            rest = &rest[1..];
        }
        let skip = |why| Skipped {
            path: paths[*i].clone(),
            why,
        };
        if rest.len() < 2 {
            skipped.push(skip(SkipReason::OutsideClassFolder));
            continue;
        }
        let class = rest[0].to_string();
        let images = seen.entry((class.clone(), test)).or_default();
        if !is_image(rest[rest.len() - 1]) {
            skipped.push(skip(SkipReason::NotAnImage));
            continue;
        }
        *images += 1;
        found.push((class, test, *i));
    }
    if found.is_empty() {
        return Err(OwnDataError::NoImages {
            skipped: skipped.len(),
        });
    }
    if let Some(((class, _), _)) = seen.iter().find(|(_, images)| **images == 0) {
        return Err(OwnDataError::EmptyClass { class: class.clone() });
    }
    let classes: Vec<String> = seen
        .keys()
        .filter(|(_, test)| !test)
        .map(|(class, _)| class.clone())
        .collect();
    if let Some((class, _)) = seen
        .keys()
        .find(|(class, test)| *test && !classes.contains(class))
    {
        return Err(OwnDataError::ClassNotInTrain { class: class.clone() });
    }
    check_classes(&classes)?;
    let mut images: Vec<PlannedImage> = found
        .into_iter()
        .map(|(class, test, i)| PlannedImage {
            path: paths[i].clone(),
            label: classes.binary_search(&class).expect("a train class") as u8,
            test,
        })
        .collect();
    // As `ImageFolder` orders them, whatever order the folder or zip
    // listed them in: class by class, each class's files by name.
    images.sort_by(|a, b| (a.label, &a.path).cmp(&(b.label, &b.path)));
    Ok(FolderPlan {
        root,
        classes,
        images,
        skipped,
        split_given,
    })
}

/// The size most images have (the first such, on a tie): the size every
/// image is stored at.
pub fn common_size(sizes: &[(usize, usize)]) -> Option<(usize, usize)> {
    let mut counts: Vec<((usize, usize), usize)> = vec![];
    for &size in sizes {
        match counts.iter_mut().find(|(s, _)| *s == size) {
            Some((_, n)) => *n += 1,
            None => counts.push((size, 1)),
        }
    }
    let most = counts.iter().map(|&(_, n)| n).max()?;
    counts.into_iter().find(|&(_, n)| n == most).map(|(size, _)| size)
}

/// The memory `count` images of `format` take once decoded, refused past
/// `limit` with how many would fit.
pub fn check_budget(format: ImageFormat, count: usize, limit: u64) -> Result<(), OwnDataError> {
    let bytes = (format.len() as u64).saturating_mul(count as u64);
    match bytes > limit {
        true => Err(OwnDataError::TooMuchData {
            bytes,
            limit,
            fits: (limit / format.len().max(1) as u64) as usize,
        }),
        false => Ok(()),
    }
}

/// Refuses, from the headers alone (each image's `(width, height)` where
/// its header says), `count` images that would not fit in `limit` bytes:
/// counted at the size most of them have, in colour where kept.
pub fn check_headers(
    count: usize,
    sizes: impl Iterator<Item = (usize, usize)>,
    keep_colour: bool,
    limit: u64,
) -> Result<(), OwnDataError> {
    let sizes: Vec<(usize, usize)> = sizes.map(|(w, h)| (h, w)).collect();
    let Some((height, width)) = common_size(&sizes) else {
        return Ok(());
    };
    let channels = if keep_colour { 3 } else { 1 };
    let format = ImageFormat {
        channels,
        height,
        width,
    };
    check_budget(format, count, limit)
}

/// PIL's `convert("L")`: ITU-R 601-2 luma in 16-bit fixed point.
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 19595 + g as u32 * 38470 + b as u32 * 7471 + 0x8000) >> 16) as u8
}

/// One image as planes of `format` (its channels; its size, resized when
/// the image's differs).
fn planes(image: &Decoded, format: ImageFormat) -> Vec<u8> {
    let pixels = image.width * image.height;
    let channels: Vec<Vec<u8>> = match format.channels {
        3 => (0..3)
            .map(|c| (0..pixels).map(|p| image.rgb[3 * p + c]).collect())
            .collect(),
        _ => vec![
            image
                .rgb
                .chunks_exact(3)
                .map(|p| luma(p[0], p[1], p[2]))
                .collect(),
        ],
    };
    let rows = (image.height != format.height).then(|| Taps::new(image.height, format.height));
    let cols = (image.width != format.width).then(|| Taps::new(image.width, format.width));
    let size = (image.height, image.width);
    let mut out = Vec::with_capacity(format.len());
    for channel in &channels {
        plane(channel, size, rows.as_ref(), cols.as_ref(), |level| {
            out.push(level)
        });
    }
    out
}

/// The data set from a plan and its images, decoded in the plan's order
/// (an image that failed to decode is skipped, with the decoder's reason).
pub fn assemble(
    name: &str,
    plan: FolderPlan,
    decoded: Vec<Result<Decoded, SkipReason>>,
    assembly: Assembly,
) -> Result<Splits, OwnDataError> {
    let FolderPlan {
        root,
        classes,
        images,
        mut skipped,
        split_given,
    } = plan;
    let mut kept = vec![];
    for (planned, image) in images.into_iter().zip(decoded) {
        match image {
            Ok(image)
                if image.rgb.len() == 3 * image.width * image.height
                    && image.width > 0
                    && image.height > 0 =>
            {
                kept.push((planned, image))
            }
            Ok(_) => skipped.push(Skipped {
                path: planned.path,
                why: SkipReason::Undecodable {
                    reason: "no pixels".to_string(),
                },
            }),
            Err(why) => skipped.push(Skipped {
                path: planned.path,
                why,
            }),
        }
    }
    let sizes: Vec<(usize, usize)> = kept
        .iter()
        .map(|(_, image)| (image.height, image.width))
        .collect();
    let Some((height, width)) = common_size(&sizes) else {
        return Err(OwnDataError::NoImages {
            skipped: skipped.len(),
        });
    };
    let colour = assembly.keep_colour
        && kept
            .iter()
            .any(|(_, image)| image.rgb.chunks_exact(3).any(|p| p[0] != p[1] || p[1] != p[2]));
    let format = ImageFormat {
        channels: if colour { 3 } else { 1 },
        height,
        width,
    };
    let mut sets = [(vec![], vec![]), (vec![], vec![])];
    for (planned, image) in &kept {
        let (pixels, labels) = &mut sets[planned.test as usize];
        pixels.extend(planes(image, format));
        labels.push(planned.label);
    }
    let [(train_pixels, train_labels), (test_pixels, test_labels)] = sets;
    let train = Dataset::of_format(format, train_pixels, train_labels)?;
    let test = Dataset::of_format(format, test_pixels, test_labels)?;
    let present: BTreeSet<u8> = train.labels().iter().copied().collect();
    if let Some(class) = (0..classes.len()).find(|&c| !present.contains(&(c as u8))) {
        return Err(OwnDataError::EmptyClass {
            class: classes[class].clone(),
        });
    }
    let (train, test, split) = match split_given && !test.is_empty() {
        true => (train, test, SplitOrigin::Given),
        false => {
            let (train, test) = split_drawn(&train, assembly.seed, assembly.test_share)?;
            let origin = SplitOrigin::Drawn {
                seed: assembly.seed,
                test_share: assembly.test_share,
            };
            (train, test, origin)
        }
    };
    Ok(Splits {
        name: root.unwrap_or_else(|| name.to_string()),
        classes,
        train,
        test,
        split,
        skipped,
    })
}
