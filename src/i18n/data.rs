//! Fashion-MNIST's files and classes (d2l-zh's T恤, 裤子, 套衫 …) and a
//! picture of one's own, in both languages. File names and numbers stay
//! as they are; a decoder's own reason stays in its English.

use serde::{Deserialize, Serialize};

use super::english::english_display;
use super::{Catalogue, Lang, Say};
use crate::data::{DataError, GzipProblem, IdxKind, SIDE};
use crate::picture::{MAX_PIXELS, PictureError};

crate::catalogue! {
    /// Fashion-MNIST's ten classes, in label order: the book's code names
    /// (`data::CLASS_NAMES`) and d2l-zh's Chinese.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FashionClass {
        TShirt => "t-shirt", "T恤";
        Trouser => "trouser", "裤子";
        Pullover => "pullover", "套衫";
        Dress => "dress", "连衣裙";
        Coat => "coat", "外套";
        Sandal => "sandal", "凉鞋";
        Shirt => "shirt", "衬衫";
        Sneaker => "sneaker", "运动鞋";
        Bag => "bag", "包";
        AnkleBoot => "ankle boot", "短靴";
    }
}

impl FashionClass {
    /// The class of label `label` (0 to 9).
    pub fn of(label: usize) -> Option<FashionClass> {
        FashionClass::ALL.get(label).copied()
    }
}

crate::catalogue! {
    /// What was done to a picture of one's own (`Picture::note`).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PictureNote {
        TransparentInverted => "transparent background taken as dark, the dark object made light",
            "透明背景视为深色，深色物体变为浅色";
        Transparent => "transparent background taken as dark", "透明背景视为深色";
        Inverted => "inverted: the picture is dark on light, Fashion-MNIST is light on dark",
            "已反色：这张图片是浅底深色，而 Fashion-MNIST 是深底浅色";
    }
}

impl Say for DataError {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => data_english(self),
            Lang::Zh => data_chinese(self),
        }
    }
}

fn data_english(error: &DataError) -> String {
    match error {
        DataError::Gzip { file, reason } => {
            format!("{file}: not a readable gzip file ({})", reason.say(Lang::En))
        }
        DataError::TooLarge { file, limit } => {
            format!("{file}: decompresses to more than {limit} bytes; this is not a Fashion-MNIST file")
        }
        DataError::BadMagic {
            file,
            found,
            expected,
            kind,
        } => format!(
            "{file}: magic number {found}, expected {expected} ({} file)",
            kind.say(Lang::En)
        ),
        DataError::Truncated {
            file,
            expected,
            found,
        } => {
            format!("{file}: truncated: the header promises {expected} bytes, the file has {found}")
        }
        DataError::TrailingData {
            file,
            expected,
            found,
        } => format!(
            "{file}: {found} bytes where the header promises {expected}: extra data after the last record"
        ),
        DataError::BadDimensions { file, rows, cols } => {
            format!("{file}: images are {rows}×{cols}, expected {SIDE}×{SIDE}")
        }
        DataError::CountMismatch { count, labels } => {
            format!("{count} images but {labels} labels; the image and label files do not belong together")
        }
        DataError::BadLabel { file, index, value } => {
            format!("{file}: label {value} at index {index} is outside 0..9")
        }
        DataError::Empty { file } => format!("{file}: holds no records"),
    }
}

fn data_chinese(error: &DataError) -> String {
    match error {
        DataError::Gzip { file, reason } => {
            format!("{file}：不是可读的 gzip 文件（{}）", reason.say(Lang::Zh))
        }
        DataError::TooLarge { file, limit } => {
            format!("{file}：解压后超过 {limit} 字节；这不是 Fashion-MNIST 文件")
        }
        DataError::BadMagic {
            file,
            found,
            expected,
            kind,
        } => format!(
            "{file}：魔数为 {found}，应为 {expected}（{}文件）",
            kind.say(Lang::Zh)
        ),
        DataError::Truncated {
            file,
            expected,
            found,
        } => {
            format!("{file}：文件不完整：文件头声明 {expected} 字节，文件只有 {found} 字节")
        }
        DataError::TrailingData {
            file,
            expected,
            found,
        } => format!(
            "{file}：文件有 {found} 字节，而文件头声明 {expected} 字节：最后一条记录之后还有多余的数据"
        ),
        DataError::BadDimensions { file, rows, cols } => {
            format!("{file}：图像为 {rows}×{cols}，应为 {SIDE}×{SIDE}")
        }
        DataError::CountMismatch { count, labels } => {
            format!("{count} 张图像却有 {labels} 个标签；图像文件与标签文件不是同一套")
        }
        DataError::BadLabel { file, index, value } => {
            format!("{file}：索引 {index} 处的标签 {value} 不在 0..9 之内")
        }
        DataError::Empty { file } => format!("{file}：没有任何记录"),
    }
}

impl Say for GzipProblem {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (GzipProblem::EndsEarly, Lang::En) => "it ends early; the download may be incomplete".to_string(),
            (GzipProblem::EndsEarly, Lang::Zh) => "文件提前结束，可能没有下载完整".to_string(),
            // The decoder's own words.
            (GzipProblem::Other(reason), _) => reason.clone(),
        }
    }
}

impl Say for IdxKind {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (IdxKind::Images, Lang::En) => "images",
            (IdxKind::Images, Lang::Zh) => "图像",
            (IdxKind::Labels, Lang::En) => "labels",
            (IdxKind::Labels, Lang::Zh) => "标签",
        }
        .to_string()
    }
}

impl Say for PictureError {
    fn say(&self, lang: Lang) -> String {
        let megapixels = MAX_PIXELS / 1_000_000;
        match (self, lang) {
            (PictureError::NoPixels, Lang::En) => "the picture has no pixels".to_string(),
            (PictureError::NoPixels, Lang::Zh) => "图片没有任何像素".to_string(),
            (PictureError::TooLarge { width, height }, Lang::En) => {
                format!("the picture is {width}×{height}; at most {megapixels} megapixels are taken")
            }
            (PictureError::TooLarge { width, height }, Lang::Zh) => {
                format!("图片为 {width}×{height}；最多接受 {megapixels} 百万像素")
            }
            (
                PictureError::Malformed {
                    width,
                    height,
                    expected,
                    found,
                },
                Lang::En,
            ) => format!("{found} bytes of pixels for a {width}×{height} picture (RGBA needs {expected})"),
            (
                PictureError::Malformed {
                    width,
                    height,
                    expected,
                    found,
                },
                Lang::Zh,
            ) => format!("{width}×{height} 的图片却有 {found} 字节的像素数据（RGBA 需要 {expected} 字节）"),
            (PictureError::Empty, Lang::En) => {
                "the picture is empty: nothing stands out from its background".to_string()
            }
            (PictureError::Empty, Lang::Zh) => "图片是空的：没有任何东西从背景中显现出来".to_string(),
        }
    }
}

english_display!(FashionClass, PictureNote, GzipProblem, IdxKind);
english_display!(error: DataError, PictureError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CLASS_NAMES;
    use crate::i18n::{check_catalogue, check_message};

    #[test]
    fn classes_and_notes_say_something_in_both_languages() {
        check_catalogue(FashionClass::ALL);
        check_catalogue(PictureNote::ALL);
        let english: Vec<&str> = FashionClass::ALL
            .iter()
            .map(|class| class.get(Lang::En))
            .collect();
        assert_eq!(english, CLASS_NAMES, "the book's code names, in label order");
        assert_eq!(FashionClass::of(0).map(|c| c.get(Lang::Zh)), Some("T恤"));
        assert_eq!(FashionClass::of(9).map(|c| c.get(Lang::Zh)), Some("短靴"));
        assert_eq!(FashionClass::of(10), None);
    }

    #[test]
    fn every_data_error_says_its_file_and_numbers_in_both_languages() {
        let file = || "x.gz".to_string();
        let samples: Vec<(DataError, &[&str])> = vec![
            (
                DataError::Gzip {
                    file: file(),
                    reason: GzipProblem::EndsEarly,
                },
                &["x.gz", "gzip"],
            ),
            (
                DataError::Gzip {
                    file: file(),
                    reason: GzipProblem::Other("invalid gzip header".to_string()),
                },
                &["x.gz", "invalid gzip header"],
            ),
            (
                DataError::TooLarge {
                    file: file(),
                    limit: 67108864,
                },
                &["x.gz", "67108864", "Fashion-MNIST"],
            ),
            (
                DataError::BadMagic {
                    file: file(),
                    found: 2049,
                    expected: 2051,
                    kind: IdxKind::Images,
                },
                &["x.gz", "2049", "2051"],
            ),
            (
                DataError::Truncated {
                    file: file(),
                    expected: 8,
                    found: 3,
                },
                &["x.gz", "8", "3"],
            ),
            (
                DataError::TrailingData {
                    file: file(),
                    expected: 2367,
                    found: 2372,
                },
                &["x.gz", "2367", "2372"],
            ),
            (
                DataError::BadDimensions {
                    file: file(),
                    rows: 32,
                    cols: 28,
                },
                &["x.gz", "32×28", "28×28"],
            ),
            (DataError::CountMismatch { count: 3, labels: 2 }, &["3", "2"]),
            (
                DataError::BadLabel {
                    file: file(),
                    index: 2,
                    value: 10,
                },
                &["x.gz", "2", "10", "0..9"],
            ),
            (DataError::Empty { file: file() }, &["x.gz"]),
        ];
        for (error, values) in &samples {
            check_message(error, values);
        }
        assert_eq!(
            samples[3].0.to_string(),
            "x.gz: magic number 2049, expected 2051 (images file)"
        );
        assert_eq!(
            samples[3].0.say(Lang::Zh),
            "x.gz：魔数为 2049，应为 2051（图像文件）"
        );
    }

    #[test]
    fn every_picture_error_says_its_numbers_in_both_languages() {
        let samples: Vec<(PictureError, &[&str])> = vec![
            (PictureError::NoPixels, &[]),
            (
                PictureError::TooLarge {
                    width: 5000,
                    height: 4000,
                },
                &["5000×4000", "16"],
            ),
            (
                PictureError::Malformed {
                    width: 2,
                    height: 3,
                    expected: 24,
                    found: 23,
                },
                &["2×3", "24", "23", "RGBA"],
            ),
            (PictureError::Empty, &[]),
        ];
        for (error, values) in &samples {
            check_message(error, values);
        }
    }
}
