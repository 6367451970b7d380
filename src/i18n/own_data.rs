//! Data of one's own — a folder, a zip, IDX files — and why it cannot be
//! used, in both languages (d2l-zh's 类别, 训练集, 测试集). Paths, names
//! and numbers stay as they are; a decoder's own reason stays in English.

use super::english::english_display;
use super::{Lang, Say};
use crate::data::folder::IMAGE_TYPES;
use crate::data::own::{ArchiveProblem, OwnDataError, SkipReason, Skipped};

/// How many skipped files a message names before "…".
const NAMED: usize = 3;

impl Say for SkipReason {
    fn say(&self, lang: Lang) -> String {
        let types = IMAGE_TYPES.join(", ");
        match (self, lang) {
            (SkipReason::NotAnImage, Lang::En) => format!("not an image ({types})"),
            (SkipReason::NotAnImage, Lang::Zh) => format!("不是图像（{types}）"),
            (SkipReason::OutsideClassFolder, Lang::En) => "not in a class's folder".to_string(),
            (SkipReason::OutsideClassFolder, Lang::Zh) => "不在任何类别的文件夹中".to_string(),
            (SkipReason::TooLarge { width, height }, Lang::En) => format!("{width}×{height} is too large"),
            (SkipReason::TooLarge { width, height }, Lang::Zh) => format!("{width}×{height} 太大"),
            (SkipReason::Undecodable { reason }, Lang::En) => format!("cannot be decoded ({reason})"),
            (SkipReason::Undecodable { reason }, Lang::Zh) => format!("无法解码（{reason}）"),
        }
    }
}

impl Say for Skipped {
    fn say(&self, lang: Lang) -> String {
        format!("{}: {}", self.path, self.why.say(lang))
    }
}

/// `412 images in 3 classes; 5 files skipped: notes.txt, a.doc, b.md, …`:
/// `skipped` names the first of the `skipped_count` files left out.
pub fn summary(
    images: usize,
    classes: usize,
    skipped: &[Skipped],
    skipped_count: usize,
    lang: Lang,
) -> String {
    let mut names: Vec<&str> = skipped.iter().take(NAMED).map(|s| s.path.as_str()).collect();
    if skipped_count > names.len() {
        names.push("…");
    }
    let names = names.join(", ");
    match (lang, skipped_count) {
        (Lang::En, 0) => format!("{images} images in {classes} classes"),
        (Lang::En, 1) => format!("{images} images in {classes} classes; 1 file skipped: {names}"),
        (Lang::En, n) => format!("{images} images in {classes} classes; {n} files skipped: {names}"),
        (Lang::Zh, 0) => format!("{classes} 个类别，共 {images} 张图像"),
        (Lang::Zh, n) => format!("{classes} 个类别，共 {images} 张图像；跳过 {n} 个文件：{names}"),
    }
}

impl Say for ArchiveProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (ArchiveProblem::Unreadable { reason }, Lang::En) => {
                format!("not a readable zip file ({reason}); it may be cut short or damaged")
            }
            (ArchiveProblem::Unreadable { reason }, Lang::Zh) => {
                format!("不是可读的 zip 文件（{reason}）；文件可能不完整或已损坏")
            }
            (ArchiveProblem::TooLarge { limit }, Lang::En) => {
                format!("the zip unpacks to more than {} MB; refused", limit >> 20)
            }
            (ArchiveProblem::TooLarge { limit }, Lang::Zh) => {
                format!("该 zip 解压后超过 {} MB，已拒绝", limit >> 20)
            }
            (ArchiveProblem::TooManyEntries { found, limit }, Lang::En) => {
                format!("the zip lists {found} files; at most {limit} are read")
            }
            (ArchiveProblem::TooManyEntries { found, limit }, Lang::Zh) => {
                format!("该 zip 含 {found} 个文件；最多读取 {limit} 个")
            }
            (ArchiveProblem::Entry { name, reason }, Lang::En) => {
                format!("{name} in the zip cannot be unpacked ({reason})")
            }
            (ArchiveProblem::Entry { name, reason }, Lang::Zh) => {
                format!("zip 中的 {name} 无法解压（{reason}）")
            }
        }
    }
}

impl Say for OwnDataError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => english(self),
            Lang::Zh => chinese(self),
        }
    }
}

fn english(error: &OwnDataError) -> String {
    match error {
        OwnDataError::NoImages { skipped: 0 } => {
            "no images found: put each class's images in a folder of its own (root/<class>/<image>)"
                .to_string()
        }
        OwnDataError::NoImages { skipped } => format!(
            "no images found ({skipped} files skipped): put each class's images in a folder of its own (root/<class>/<image>)"
        ),
        OwnDataError::OneClass { class } => {
            format!("only one class ({class}): a classifier needs two or more class folders")
        }
        OwnDataError::TooManyClasses { found, limit } => {
            format!("{found} classes; at most {limit} are supported")
        }
        OwnDataError::EmptyClass { class } => format!("the class folder {class} holds no images"),
        OwnDataError::ClassNotInTrain { class } => {
            format!("test/{class} has no train/{class}: every test class must be trained")
        }
        OwnDataError::TooFewToSplit { images } => {
            format!("{images} images are too few to keep some for testing: give each class two or more")
        }
        OwnDataError::TooMuchData { bytes, limit, fits } => format!(
            "the images would take {} MB once decoded, more than the {} MB allowed; about {fits} fit (or use fewer, smaller images)",
            bytes >> 20,
            limit >> 20
        ),
        OwnDataError::FilesTooLarge { bytes, limit } => format!(
            "the files picked take {} MB, more than the {} MB the page reads: pick fewer or smaller images",
            bytes >> 20,
            limit >> 20
        ),
        OwnDataError::Archive { problem } => problem.say(Lang::En),
        OwnDataError::Idx { error } => error.say(Lang::En),
        OwnDataError::LabelWithoutName { label, names } => {
            format!("label {label} has no name: the class list names {names} classes")
        }
        OwnDataError::NotData { folder } => format!(
            "{folder} holds neither IDX files (train-images…, train-labels…, t10k-images…, t10k-labels…) nor class folders of images"
        ),
        OwnDataError::Unreadable { path, reason } => format!("cannot read {path}: {reason}"),
    }
}

fn chinese(error: &OwnDataError) -> String {
    match error {
        OwnDataError::NoImages { skipped: 0 } => {
            "没有找到图像：请把每个类别的图像放在各自的文件夹中（根目录/<类别>/<图像>）".to_string()
        }
        OwnDataError::NoImages { skipped } => {
            format!(
                "没有找到图像（跳过了 {skipped} 个文件）：请把每个类别的图像放在各自的文件夹中（根目录/<类别>/<图像>）"
            )
        }
        OwnDataError::OneClass { class } => {
            format!("只有一个类别（{class}）：分类器需要两个或更多类别的文件夹")
        }
        OwnDataError::TooManyClasses { found, limit } => format!("共 {found} 个类别；最多支持 {limit} 个"),
        OwnDataError::EmptyClass { class } => format!("类别文件夹 {class} 中没有图像"),
        OwnDataError::ClassNotInTrain { class } => {
            format!("有 test/{class} 却没有 train/{class}：测试集的每个类别都必须出现在训练集中")
        }
        OwnDataError::TooFewToSplit { images } => {
            format!("{images} 张图像太少，无法留出测试集：请给每个类别至少两张")
        }
        OwnDataError::TooMuchData { bytes, limit, fits } => format!(
            "这些图像解码后将占用 {} MB，超过允许的 {} MB；大约能容纳 {fits} 张（或使用更少、更小的图像）",
            bytes >> 20,
            limit >> 20
        ),
        OwnDataError::FilesTooLarge { bytes, limit } => format!(
            "所选文件共 {} MB，超过本页能读取的 {} MB：请选择更少或更小的图像",
            bytes >> 20,
            limit >> 20
        ),
        OwnDataError::Archive { problem } => problem.say(Lang::Zh),
        OwnDataError::Idx { error } => error.say(Lang::Zh),
        OwnDataError::LabelWithoutName { label, names } => {
            format!("标签 {label} 没有名称：类别列表只命名了 {names} 个类别")
        }
        OwnDataError::NotData { folder } => format!(
            "{folder} 中既没有 IDX 文件（train-images…、train-labels…、t10k-images…、t10k-labels…），也没有按类别存放图像的文件夹"
        ),
        OwnDataError::Unreadable { path, reason } => format!("无法读取 {path}：{reason}"),
    }
}

english_display!(SkipReason, Skipped, ArchiveProblem);
english_display!(error: OwnDataError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_the_first_skipped_files() {
        let skipped: Vec<Skipped> = ["notes.txt", "a.doc", "b.md", "c.md", "d.md"]
            .map(|path| Skipped {
                path: path.to_string(),
                why: SkipReason::NotAnImage,
            })
            .to_vec();
        assert_eq!(
            summary(412, 3, &skipped, 5, Lang::En),
            "412 images in 3 classes; 5 files skipped: notes.txt, a.doc, b.md, …"
        );
        assert_eq!(summary(412, 3, &[], 0, Lang::Zh), "3 个类别，共 412 张图像");
    }

    #[test]
    fn files_too_large_say_their_sizes_in_both_languages() {
        let error = OwnDataError::FilesTooLarge {
            bytes: 600 << 20,
            limit: 512 << 20,
        };
        assert!(error.say(Lang::En).contains("600 MB, more than the 512 MB"));
        assert!(error.say(Lang::Zh).contains("600 MB"));
    }
}
