//! The page's words for images of one's own (`ui::own_data`): picking a
//! folder or a zip, what was read (d2l-zh's 类别, 训练集, 测试集), and
//! going back to Fashion-MNIST. Names of folders and files stay as they
//! are.

use crate::data::own::{OwnAbout, SplitOrigin};
use crate::i18n::{Lang, Say};
use crate::link::{AskedBy, AskedData};
use crate::picture::PictureError;

crate::catalogue! {
    /// Images of one's own: static strings.
    pub enum OwnText {
        Summary => "Your own images", "你自己的图像";
        Intro => "A folder with one sub-folder of images per class (torchvision's ImageFolder layout: root/<class>/<image>; train/ and test/ at the top are kept as the split), or a zip of one. PNG, JPEG, GIF, BMP and WebP. The images stay in this browser; every net takes their channels and classes.",
            "一个文件夹，每个类别一个子文件夹（torchvision 的 ImageFolder 布局：root/<类别>/<图像>；顶层若有 train/ 和 test/，就按它们划分），或者它的 zip 压缩包。支持 PNG、JPEG、GIF、BMP 和 WebP。图像只留在本浏览器中；每个网络都会采用它们的通道数和类别数。";
        PickFolder => "Pick a folder", "选择文件夹";
        PickZip => "Pick a zip", "选择 zip 文件";
        DropHere => "…or drop a folder or a zip here", "……或把文件夹或 zip 文件拖到这里";
        KeepColour => "keep colour (else grey, as Fashion-MNIST)", "保留彩色（否则与 Fashion-MNIST 一样转为灰度）";
        Reading => "Reading the images…", "正在读取图像……";
        Class => "class", "类别";
        TrainImages => "training images", "训练图像";
        TestImages => "test images", "测试图像";
        BackToFashion => "Back to Fashion-MNIST", "改回 Fashion-MNIST";
        NotInLink => "A link to this page does not carry your images: whoever opens it picks the folder again.",
            "本页的链接不包含你的图像：打开链接的人需要重新选择文件夹。";
        DrawTitle => "Draw your own classes", "画出你自己的类别";
        DrawHint => "Name 2 to 10 classes, draw examples of each on the pad (light strokes on dark, as Fashion-MNIST's objects are) and add each to its class; then train the whole net on them. Two drawings a class at least: a fifth of each is kept for testing.",
            "给 2 到 10 个类别命名，在画板上为每个类别画出样例（像 Fashion-MNIST 的物体一样，深色背景上的浅色笔画），再把每张图加入它的类别；然后用它们训练整个网络。每个类别至少两张图：每类留出五分之一用于测试。";
        DefaultClass => "class", "类别";
        ClassNameLabel => "name of class", "类别名称";
        Drawings => "drawings", "张图";
        AddDrawing => "Add the drawing", "加入这张图";
        RemoveClass => "Remove", "删除";
        AddClass => "Add a class", "添加类别";
        UseDrawings => "Train on these drawings", "用这些图训练";
        CameraStart => "Use the camera", "使用摄像头";
        CameraStop => "Turn the camera off", "关闭摄像头";
        AddFromCamera => "Add from the camera", "从摄像头加入";
        CameraHint => "Each “Add from the camera” takes the camera's picture of that moment, made grey and 28 × 28 as the drawings are.",
            "每次点击“从摄像头加入”都会拍下摄像头当时的画面，并像画的图一样转成 28 × 28 的灰度图。";
        Busy => "Stop the run first: a run trains on the data it started with.", "请先停止训练：一次训练只使用它开始时的数据。";
    }
}

/// Why the drawn classes cannot be trained on yet.
#[derive(Clone, Debug, PartialEq)]
pub enum DrawnProblem {
    /// "Add the drawing" with nothing drawn since the last.
    DrawFirst,
    /// Class number `class` (from 1) has no name.
    NoName { class: usize },
    /// Two classes have the same name.
    SameName { name: String },
    /// A class has fewer drawings than a split needs.
    TooFew {
        name: String,
        drawings: usize,
        needs: usize,
    },
    /// The browser would not make a file of a drawing: its words.
    Page { detail: String },
    /// The camera gave no picture.
    Camera(CameraProblem),
}

impl Say for DrawnProblem {
    fn say(&self, lang: Lang) -> String {
        use DrawnProblem::*;
        match (self, lang) {
            (DrawFirst, Lang::En) => "draw on the pad first".to_string(),
            (DrawFirst, Lang::Zh) => "请先在画板上画一张图".to_string(),
            (NoName { class }, Lang::En) => format!("class {class} has no name"),
            (NoName { class }, Lang::Zh) => format!("第 {class} 个类别没有名称"),
            (SameName { name }, Lang::En) => format!("two classes are named {name}"),
            (SameName { name }, Lang::Zh) => format!("有两个类别都叫 {name}"),
            (
                TooFew {
                    name,
                    drawings,
                    needs,
                },
                Lang::En,
            ) => {
                format!("{name} has {drawings} drawing(s); each class needs {needs} at least")
            }
            (
                TooFew {
                    name,
                    drawings,
                    needs,
                },
                Lang::Zh,
            ) => {
                format!("{name} 只有 {drawings} 张图；每个类别至少需要 {needs} 张")
            }
            (Page { detail }, Lang::En) => format!("the browser could not keep a drawing: {detail}"),
            (Page { detail }, Lang::Zh) => format!("浏览器无法保存一张图：{detail}"),
            (Camera(problem), lang) => problem.say(lang),
        }
    }
}

/// Why the camera gives no picture.
#[derive(Clone, Debug, PartialEq)]
pub enum CameraProblem {
    /// No camera, or a page the browser gives none (not https or localhost).
    NoCamera,
    /// The reader (or the browser's settings) said no.
    Refused,
    /// Another program holds it, or it would not start.
    InUse,
    /// On, but no frame has come yet.
    NotReady,
    /// The page could not show or read the video.
    NoVideo,
    /// The frame could not be made a picture.
    Picture(PictureError),
    /// The browser's own words.
    Browser { detail: String },
}

impl Say for CameraProblem {
    fn say(&self, lang: Lang) -> String {
        use CameraProblem::*;
        match (self, lang) {
            (NoCamera, Lang::En) => "this browser gives the page no camera (a camera needs one, and a secure page: https or localhost); draw the examples instead".to_string(),
            (NoCamera, Lang::Zh) => "浏览器没有给本页提供摄像头（需要有摄像头，并且页面是安全的：https 或 localhost）；可以改为画出样例".to_string(),
            (Refused, Lang::En) => "the camera was not allowed: allow it in the browser (beside the address) to take pictures, or draw the examples".to_string(),
            (Refused, Lang::Zh) => "摄像头未获允许：在浏览器中（地址栏旁）允许后即可拍照，或者改为画出样例".to_string(),
            (InUse, Lang::En) => "the camera could not start: another program may be using it".to_string(),
            (InUse, Lang::Zh) => "摄像头无法启动：可能有其他程序正在使用它".to_string(),
            (NotReady, Lang::En) => "the camera has no picture yet; try again in a moment".to_string(),
            (NotReady, Lang::Zh) => "摄像头还没有画面；请稍后再试".to_string(),
            (NoVideo, Lang::En) => "the page could not show the camera".to_string(),
            (NoVideo, Lang::Zh) => "页面无法显示摄像头画面".to_string(),
            (Picture(error), lang) => error.say(lang),
            (Browser { detail }, Lang::En) => format!("the browser could not use the camera: {detail}"),
            (Browser { detail }, Lang::Zh) => format!("浏览器无法使用摄像头：{detail}"),
        }
    }
}

/// `shapes: 3 × 32 × 32 (colour), split 80/20 drawn with seed 0, hash 1a2b…`
#[derive(Clone, Debug, PartialEq)]
pub struct OwnLine(pub OwnAbout);

impl Say for OwnLine {
    fn say(&self, lang: Lang) -> String {
        let about = &self.0;
        let f = about.format;
        let colour = match (f.channels, lang) {
            (3, Lang::En) => "colour",
            (3, Lang::Zh) => "彩色",
            (_, Lang::En) => "grey",
            (_, Lang::Zh) => "灰度",
        };
        let percent = |share: f64| (share * 100.0).round() as usize;
        let split = match (about.split, lang) {
            (SplitOrigin::Given, Lang::En) => {
                "the split the data brings (its own training and test sets)".to_string()
            }
            (SplitOrigin::Given, Lang::Zh) => "按数据自带的训练集和测试集划分".to_string(),
            (SplitOrigin::Drawn { seed, test_share }, Lang::En) => format!(
                "split {}/{} per class, drawn with seed {seed}",
                100 - percent(test_share),
                percent(test_share)
            ),
            (SplitOrigin::Drawn { seed, test_share }, Lang::Zh) => format!(
                "每个类别按 {}/{} 划分，随机种子为 {seed}",
                100 - percent(test_share),
                percent(test_share)
            ),
        };
        let (name, hash) = (&about.name, &about.hash);
        let (c, h, w) = (f.channels, f.height, f.width);
        match lang {
            Lang::En => format!("{name}: {c} × {h} × {w} ({colour}), {split}; content hash {hash}"),
            Lang::Zh => format!("{name}：{c} × {h} × {w}（{colour}），{split}；内容哈希 {hash}"),
        }
    }
}

/// What the page says while the worker holds images of one's own:
/// `Training on shapes (3 classes), not Fashion-MNIST`.
#[derive(Clone, Debug, PartialEq)]
pub struct UsingOwn {
    pub name: String,
    pub classes: usize,
}

impl Say for UsingOwn {
    fn say(&self, lang: Lang) -> String {
        let (name, classes) = (&self.name, self.classes);
        match lang {
            Lang::En => format!("Training on {name} ({classes} classes), not Fashion-MNIST"),
            Lang::Zh => format!("正在使用 {name}（{classes} 个类别）训练，而不是 Fashion-MNIST"),
        }
    }
}

/// What the page says of the images of one's own a link or a run named.
#[derive(Clone, Debug, PartialEq)]
pub enum AskedLine {
    /// Not picked yet: what they are, and that a link cannot bring them.
    Pick { by: AskedBy, asked: AskedData },
    /// The images picked are others than those asked for (their content hash).
    Differ {
        by: AskedBy,
        asked: AskedData,
        held: String,
    },
}

/// At most this many class names in a line; the rest are counted.
const NAMES_SHOWN: usize = 10;

impl Say for AskedLine {
    fn say(&self, lang: Lang) -> String {
        match self {
            AskedLine::Pick { by, asked } => {
                let count = asked.classes.len();
                let mut names = asked.classes[..count.min(NAMES_SHOWN)].join(lang.pick(", ", "、"));
                if count > NAMES_SHOWN {
                    names.push_str(lang.pick(", …", "……"));
                }
                let name = &asked.name;
                let colour = asked.channels == 3;
                match (lang, by) {
                    (Lang::En, AskedBy::Link) => format!(
                        "This link was made with images of one's own: “{name}”, {count} classes ({names}), in {}. \
                         A link never carries images (they stay in the browser that read them): pick the same \
                         folder or zip to train on them, or go back to Fashion-MNIST.",
                        if colour { "colour" } else { "grey" }
                    ),
                    (Lang::Zh, AskedBy::Link) => format!(
                        "这个链接是用自己的图像制作的：“{name}”，{count} 个类别（{names}），{}。\
                         链接从不包含图像（图像只留在读取它们的浏览器中）：请选择同一个文件夹或 zip 文件来训练，或者改回 Fashion-MNIST。",
                        if colour { "彩色" } else { "灰度" }
                    ),
                    (Lang::En, AskedBy::Run) => format!(
                        "The run to run again trained on images of one's own: “{name}”, {count} classes ({names}), \
                         in {}. Its settings are filled in: pick the same folder or zip to train on them again, or \
                         go back to Fashion-MNIST.",
                        if colour { "colour" } else { "grey" }
                    ),
                    (Lang::Zh, AskedBy::Run) => format!(
                        "要再次运行的那次训练用的是自己的图像：“{name}”，{count} 个类别（{names}），{}。\
                         它的设置已经填好：请选择同一个文件夹或 zip 文件再次训练，或者改回 Fashion-MNIST。",
                        if colour { "彩色" } else { "灰度" }
                    ),
                }
            }
            AskedLine::Differ { by, asked, held } => {
                let theirs = asked.hash.as_deref().unwrap_or("?");
                match (lang, by) {
                    (Lang::En, AskedBy::Link) => format!(
                        "These are not the images the link was made with: their content hash is {held}, \
                         the link's {theirs}. Training uses the images picked."
                    ),
                    (Lang::Zh, AskedBy::Link) => format!(
                        "这些不是制作链接时所用的图像：它们的内容哈希是 {held}，链接中的是 {theirs}。训练将使用所选的图像。"
                    ),
                    (Lang::En, AskedBy::Run) => format!(
                        "These are not the images the run trained on: their content hash is {held}, the run's \
                         {theirs}. Training uses the images picked."
                    ),
                    (Lang::Zh, AskedBy::Run) => format!(
                        "这些不是那次训练所用的图像：它们的内容哈希是 {held}，那次训练的是 {theirs}。训练将使用所选的图像。"
                    ),
                }
            }
        }
    }
}

/// The training panel's heading on images of one's own: `Train on shapes`.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOn {
    pub data: String,
}

impl Say for TrainOn {
    fn say(&self, lang: Lang) -> String {
        lang.pick(
            format!("Train on {}", self.data),
            format!("在 {} 上训练", self.data),
        )
    }
}

/// Run history's note of the data a run trained on: `on shapes: 3
/// classes, 144 + 36 images (7d8554be87f1ad5c)`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunData(pub OwnAbout);

impl Say for RunData {
    fn say(&self, lang: Lang) -> String {
        let about = &self.0;
        let (name, classes, hash) = (&about.name, about.classes.len(), &about.hash);
        let (train, test) = (about.train_images(), about.test_images());
        match lang {
            Lang::En => format!("on {name}: {classes} classes, {train} + {test} images ({hash})"),
            Lang::Zh => format!("数据 {name}：{classes} 个类别，{train} + {test} 张图像（{hash}）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ImageFormat;

    #[test]
    fn the_line_says_format_split_and_hash_in_both_languages() {
        let about = OwnAbout {
            name: "shapes".into(),
            classes: vec!["a".into(), "b".into()],
            format: ImageFormat {
                channels: 3,
                height: 32,
                width: 32,
            },
            counts: vec![(48, 12), (48, 12)],
            split: SplitOrigin::Drawn {
                seed: 0,
                test_share: 0.2,
            },
            skipped: vec![],
            skipped_count: 0,
            hash: "0123456789abcdef".into(),
        };
        assert_eq!(
            OwnLine(about.clone()).say(Lang::En),
            "shapes: 3 × 32 × 32 (colour), split 80/20 per class, drawn with seed 0; content hash 0123456789abcdef"
        );
        assert!(
            OwnLine(about.clone())
                .say(Lang::Zh)
                .contains("每个类别按 80/20 划分")
        );
        assert_eq!(
            RunData(about).say(Lang::En),
            "on shapes: 2 classes, 96 + 24 images (0123456789abcdef)"
        );
        crate::i18n::check_catalogue(<OwnText as crate::i18n::Catalogue>::ALL);
    }

    #[test]
    fn a_links_data_is_asked_for_by_name_classes_and_colour() {
        let asked = AskedData {
            name: "shapes".into(),
            classes: (0..12).map(|n| format!("c{n}")).collect(),
            channels: 3,
            hash: Some("0123456789abcdef".into()),
        };
        let pick = |by| AskedLine::Pick {
            by,
            asked: asked.clone(),
        };
        let en = pick(AskedBy::Link).say(Lang::En);
        assert!(
            en.starts_with("This link was made with images of one's own: “shapes”, 12 classes (c0, c1,"),
            "{en}"
        );
        assert!(en.contains("c9, …), in colour."), "{en}");
        let zh = pick(AskedBy::Link).say(Lang::Zh);
        assert!(zh.contains("12 个类别（c0、c1、") && zh.contains("彩色"), "{zh}");
        crate::i18n::check_message(&pick(AskedBy::Run), &["shapes", "c9"]);
        for by in [AskedBy::Link, AskedBy::Run] {
            let differ = AskedLine::Differ {
                by,
                asked: asked.clone(),
                held: "fedcba9876543210".into(),
            };
            crate::i18n::check_message(&differ, &["fedcba9876543210", "0123456789abcdef"]);
        }
    }
}
