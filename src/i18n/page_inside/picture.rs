//! One's own picture: where it came from, what was done to it, and why
//! one was refused (the core's `PictureError` said in Chinese too).

use crate::i18n::{Lang, Say};
use crate::picture::{MAX_PIXELS, PictureError};

/// Where one's own picture came from.
#[derive(Clone, Debug, PartialEq)]
pub enum PictureSource {
    Drawing,
    /// A file, by its name.
    File(String),
}

impl Say for PictureSource {
    fn say(&self, lang: Lang) -> String {
        match self {
            PictureSource::Drawing => lang.pick("your drawing", "你画的图").to_string(),
            PictureSource::File(name) => name.clone(),
        }
    }
}

/// A step of reading a picture on the page that the browser can fail.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PageStep {
    /// The page has no window (not in a browser).
    Window,
    /// No canvas could be made.
    Canvas,
    /// A canvas gave no 2D context.
    Context,
    /// A picture drawn on a canvas could not be read back.
    ReadBack,
    /// The drawing pad could not be read.
    Drawing,
}

/// Why one's own picture was not taken; the picture shown before stays.
#[derive(Clone, Debug, PartialEq)]
pub enum PictureProblem {
    /// A file larger than the page takes, before it is read.
    FileTooBig {
        name: String,
        bytes: f64,
        max_bytes: f64,
    },
    /// The file could not be read (the browser's reason).
    Unread { name: String, detail: String },
    /// The browser failed on the file (its reason).
    Browser { name: String, detail: String },
    /// Not a picture the browser can decode.
    NotAPicture { name: String },
    /// More pixels than the page decodes.
    TooManyPixels {
        name: String,
        width: u32,
        height: u32,
        max_pixels: u32,
    },
    /// The file's picture, decoded, cannot be made into an image.
    Picture { name: String, error: PictureError },
    /// The drawing cannot be made into an image.
    Drawing(PictureError),
    /// Something dropped that is not a file.
    NoFileDropped,
    /// The page could not do a step.
    Page(PageStep),
}

/// A core picture error in `lang` (`Display` is its English).
fn picture_error(error: &PictureError, lang: Lang) -> String {
    match (error, lang) {
        (_, Lang::En) => error.to_string(),
        (PictureError::NoPixels, Lang::Zh) => "图片没有像素".to_string(),
        (PictureError::TooLarge { width, height }, Lang::Zh) => format!(
            "图片为 {width}×{height}；最多只接受 {} 万像素",
            MAX_PIXELS / 10_000
        ),
        (
            PictureError::Malformed {
                width,
                height,
                expected,
                found,
            },
            Lang::Zh,
        ) => {
            format!("{width}×{height} 的图片有 {found} 字节像素（RGBA 需要 {expected} 字节）")
        }
        (PictureError::Empty, Lang::Zh) => "图片是空的：没有任何东西从背景中突显出来".to_string(),
    }
}

/// Megapixels in English, 万像素 (ten thousands) in Chinese.
fn pixels_text(pixels: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} megapixels", pixels / 1_000_000),
        Lang::Zh => format!("{} 万像素", pixels / 10_000),
    }
}

impl Say for PictureProblem {
    fn say(&self, lang: Lang) -> String {
        use PictureProblem as P;
        match (self, lang) {
            (
                P::FileTooBig {
                    name,
                    bytes,
                    max_bytes,
                },
                Lang::En,
            ) => format!(
                "{name} is {} MB; pictures up to {} MB are taken",
                lang.number(bytes / 1e6, 0),
                lang.number(max_bytes / 1e6, 0)
            ),
            (
                P::FileTooBig {
                    name,
                    bytes,
                    max_bytes,
                },
                Lang::Zh,
            ) => format!(
                "{name} 有 {} MB；只接受不超过 {} MB 的图片",
                lang.number(bytes / 1e6, 0),
                lang.number(max_bytes / 1e6, 0)
            ),
            (P::Unread { name, detail }, Lang::En) => format!("could not read {name}: {detail}"),
            (P::Unread { name, detail }, Lang::Zh) => format!("无法读取 {name}：{detail}"),
            (P::Browser { name, detail }, Lang::En) => format!("{name}: {detail}"),
            (P::Browser { name, detail }, Lang::Zh) => format!("{name}：浏览器出错：{detail}"),
            (P::NotAPicture { name }, Lang::En) => {
                format!("{name} is not a picture this browser can read (PNG, JPEG, GIF, WebP…)")
            }
            (P::NotAPicture { name }, Lang::Zh) => {
                format!("{name} 不是此浏览器能读取的图片（PNG、JPEG、GIF、WebP…）")
            }
            (
                P::TooManyPixels {
                    name,
                    width,
                    height,
                    max_pixels,
                },
                Lang::En,
            ) => format!(
                "{name} is {width}×{height}: pictures up to {} are taken",
                pixels_text(*max_pixels, lang)
            ),
            (
                P::TooManyPixels {
                    name,
                    width,
                    height,
                    max_pixels,
                },
                Lang::Zh,
            ) => format!(
                "{name} 为 {width}×{height}：只接受不超过 {} 的图片",
                pixels_text(*max_pixels, lang)
            ),
            (P::Picture { name, error }, Lang::En) => format!("{name}: {}", picture_error(error, lang)),
            (P::Picture { name, error }, Lang::Zh) => format!("{name}：{}", picture_error(error, lang)),
            (P::Drawing(PictureError::Empty), Lang::En) => {
                "the drawing is empty: draw something first".to_string()
            }
            (P::Drawing(PictureError::Empty), Lang::Zh) => "画板是空的：请先画点什么".to_string(),
            (P::Drawing(error), _) => picture_error(error, lang),
            (P::NoFileDropped, _) => lang
                .pick("drop a picture file here", "请把图片文件拖到这里")
                .to_string(),
            (P::Page(step), _) => {
                let (en, zh) = match step {
                    PageStep::Window => ("no window", "页面没有窗口"),
                    PageStep::Canvas => ("no canvas", "无法创建画布"),
                    PageStep::Context => ("no 2D canvas", "无法使用2D画布"),
                    PageStep::ReadBack => ("the picture could not be read back", "无法从画布读回图片"),
                    PageStep::Drawing => ("the drawing could not be read", "无法读取画板上的图"),
                };
                lang.pick(en, zh).to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn a_picture_is_refused_in_either_language_with_its_file_named() {
        let name = "huge.png".to_string();
        let many = PictureProblem::TooManyPixels {
            name: name.clone(),
            width: 10_000,
            height: 10_000,
            max_pixels: 50_000_000,
        };
        // What the end-to-end tests read.
        assert_eq!(
            many.say(Lang::En),
            "huge.png is 10000×10000: pictures up to 50 megapixels are taken"
        );
        assert!(many.say(Lang::Zh).contains("5000 万像素"));
        check_message(&many, &["huge.png", "10000×10000"]);
        let empty = PictureProblem::Picture {
            name: "blank.png".to_string(),
            error: PictureError::Empty,
        };
        assert!(empty.say(Lang::En).starts_with("blank.png: the picture is empty"));
        check_message(&empty, &["blank.png"]);
        let not = PictureProblem::NotAPicture {
            name: "notes.png".to_string(),
        };
        assert!(not.say(Lang::En).starts_with("notes.png is not a picture"));
        check_message(&not, &["notes.png"]);
        let problems = [
            PictureProblem::FileTooBig {
                name: name.clone(),
                bytes: 31e6,
                max_bytes: 20e6,
            },
            PictureProblem::Unread {
                name: name.clone(),
                detail: "NotReadableError".to_string(),
            },
            PictureProblem::Browser {
                name: name.clone(),
                detail: "InvalidStateError".to_string(),
            },
            PictureProblem::Picture {
                name: name.clone(),
                error: PictureError::NoPixels,
            },
            PictureProblem::Picture {
                name: name.clone(),
                error: PictureError::TooLarge {
                    width: 5000,
                    height: 4000,
                },
            },
            PictureProblem::Picture {
                name: name.clone(),
                error: PictureError::Malformed {
                    width: 2,
                    height: 2,
                    expected: 16,
                    found: 12,
                },
            },
        ];
        for problem in &problems {
            check_message(problem, &["huge.png"]);
        }
        check_message(&problems[0], &["31", "20"]);
        check_message(&problems[4], &["5000×4000"]);
        check_message(&problems[5], &["2×2", "16", "12"]);
        let drawing = PictureProblem::Drawing(PictureError::Empty);
        assert_eq!(
            drawing.say(Lang::En),
            "the drawing is empty: draw something first"
        );
        check_message(&drawing, &[]);
        check_message(&PictureProblem::Drawing(PictureError::NoPixels), &[]);
        check_message(&PictureProblem::NoFileDropped, &[]);
        for step in [
            PageStep::Window,
            PageStep::Canvas,
            PageStep::Context,
            PageStep::ReadBack,
            PageStep::Drawing,
        ] {
            check_message(&PictureProblem::Page(step), &[]);
        }
    }

    #[test]
    fn ones_own_picture_says_where_it_came_from_and_what_was_done() {
        assert_eq!(PictureSource::Drawing.say(Lang::En), "your drawing");
        check_message(&PictureSource::Drawing, &[]);
        assert_eq!(
            PictureSource::File("shirt.png".to_string()).say(Lang::Zh),
            "shirt.png"
        );
    }
}
