//! The gallery of test images and the picture chosen from it: which
//! images it lists, each thumbnail's words, the true and predicted class.

use crate::i18n::classes::class_name;
use crate::i18n::{Lang, Say};
use crate::protocol::PredictionsWhen;

/// `When paused at epoch 1, …`: the worker's words for when (English for
/// now), with a capital in English.
fn when_text(when: &PredictionsWhen, lang: Lang) -> String {
    let when = when.say(lang);
    match lang {
        Lang::En => {
            let mut chars = when.chars();
            chars
                .next()
                .map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
        }
        Lang::Zh => when,
    }
}

/// Which test images the gallery lists.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GalleryFilter {
    All,
    MistakesOnly,
    /// A cell of the confusion matrix: true class, predicted class.
    Cell {
        label: usize,
        predicted: usize,
    },
}

/// The gallery's heading once there are predictions.
#[derive(Clone, Debug, PartialEq)]
pub struct GalleryHeading {
    /// When the predictions were made: after epoch 2, when paused at ….
    pub when: PredictionsWhen,
    pub count: usize,
    pub filter: GalleryFilter,
}

impl Say for GalleryHeading {
    fn say(&self, lang: Lang) -> String {
        let when = when_text(&self.when, lang);
        let n = lang.count(self.count as u64);
        match (self.filter, lang) {
            (GalleryFilter::Cell { label, predicted }, Lang::En) => format!(
                "{when}: {n} {} images classified as {}",
                class_name(label, lang),
                class_name(predicted, lang)
            ),
            (GalleryFilter::Cell { label, predicted }, Lang::Zh) => format!(
                "{when}：共 {n} 张实际为“{}”、预测为“{}”的图像",
                class_name(label, lang),
                class_name(predicted, lang)
            ),
            (filter, Lang::En) => format!(
                "{when}: true class over predicted class ({n} images{})",
                if filter == GalleryFilter::MistakesOnly {
                    ", mistakes only"
                } else {
                    ""
                }
            ),
            (filter, Lang::Zh) => format!(
                "{when}：上为实际标签，下为预测（{n} 张图像{}）",
                if filter == GalleryFilter::MistakesOnly {
                    "，只看预测错误的"
                } else {
                    ""
                }
            ),
        }
    }
}

/// `test image 12`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestImage(pub usize);

impl Say for TestImage {
    fn say(&self, lang: Lang) -> String {
        lang.pick(format!("test image {}", self.0), format!("测试图像 {}", self.0))
    }
}

/// A test image of the gallery, as a screen reader names it: `test image
/// 12: shirt, predicted T-shirt: a mistake` (the mistake said in words, not
/// only in red).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThumbLabel {
    pub index: usize,
    /// Its true class.
    pub label: usize,
    /// What the net predicts for it, once it has been evaluated.
    pub predicted: Option<usize>,
}

impl Say for ThumbLabel {
    fn say(&self, lang: Lang) -> String {
        let (index, truth) = (self.index, class_name(self.label, lang));
        let predicted = self.predicted.map(|p| (class_name(p, lang), p == self.label));
        match (predicted, lang) {
            (None, Lang::En) => format!("test image {index}: {truth}"),
            (None, Lang::Zh) => format!("测试图像 {index}：{truth}"),
            (Some((p, true)), Lang::En) => format!("test image {index}: {truth}, predicted {p}: right"),
            (Some((p, true)), Lang::Zh) => format!("测试图像 {index}：实际标签 {truth}，预测 {p}：正确"),
            (Some((p, false)), Lang::En) => format!("test image {index}: {truth}, predicted {p}: a mistake"),
            (Some((p, false)), Lang::Zh) => format!("测试图像 {index}：实际标签 {truth}，预测 {p}：预测错误"),
        }
    }
}

/// The class of the picture looked at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClassLine {
    /// The picture's label: `true class: shirt`.
    True(usize),
    /// The class the net gives the highest probability.
    Predicted(usize),
}

impl Say for ClassLine {
    fn say(&self, lang: Lang) -> String {
        match (*self, lang) {
            (ClassLine::True(label), Lang::En) => format!("true class: {}", class_name(label, lang)),
            (ClassLine::True(label), Lang::Zh) => format!("实际标签：{}", class_name(label, lang)),
            (ClassLine::Predicted(class), Lang::En) => format!("predicted: {}", class_name(class, lang)),
            (ClassLine::Predicted(class), Lang::Zh) => format!("预测：{}", class_name(class, lang)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;
    use crate::i18n::page_inside::WeightsLine;
    use crate::protocol::InsideWeights;

    #[test]
    fn a_thumb_says_a_mistake_in_words() {
        let wrong = ThumbLabel {
            index: 12,
            label: 6,
            predicted: Some(0),
        };
        check_message(&wrong, &["12"]);
        assert_eq!(
            wrong.say(Lang::En),
            "test image 12: shirt, predicted t-shirt: a mistake"
        );
        assert_eq!(
            wrong.say(Lang::Zh),
            "测试图像 12：实际标签 衬衫，预测 T恤：预测错误"
        );
        let right = ThumbLabel {
            predicted: Some(6),
            ..wrong
        };
        assert!(right.say(Lang::En).ends_with(": right"));
        check_message(&right, &["12"]);
        check_message(
            &ThumbLabel {
                predicted: None,
                ..wrong
            },
            &["12"],
        );
    }

    #[test]
    fn the_gallery_says_its_images_in_either_language() {
        let all = GalleryHeading {
            when: PredictionsWhen::AfterEpoch { epoch: 1 },
            count: 256,
            filter: GalleryFilter::All,
        };
        // What the end-to-end tests read.
        assert_eq!(
            all.say(Lang::En),
            "After epoch 1: true class over predicted class (256 images)"
        );
        assert_eq!(
            all.say(Lang::Zh),
            "第 1 轮之后：上为实际标签，下为预测（256 张图像）"
        );
        let mistakes = GalleryHeading {
            filter: GalleryFilter::MistakesOnly,
            ..all.clone()
        };
        assert!(mistakes.say(Lang::En).ends_with("(256 images, mistakes only)"));
        check_message(&mistakes, &["256"]);
        let cell = GalleryHeading {
            count: 12,
            filter: GalleryFilter::Cell {
                label: 6,
                predicted: 0,
            },
            ..all.clone()
        };
        assert_eq!(
            cell.say(Lang::En),
            "After epoch 1: 12 shirt images classified as t-shirt"
        );
        assert!(
            cell.say(Lang::Zh)
                .contains("共 12 张实际为“衬衫”、预测为“T恤”的图像")
        );
        check_message(&ClassLine::True(9), &[]);
        assert_eq!(ClassLine::True(9).say(Lang::Zh), "实际标签：短靴");
        assert_eq!(ClassLine::Predicted(0).say(Lang::En), "predicted: t-shirt");
        assert_eq!(ClassLine::Predicted(0).say(Lang::Zh), "预测：T恤");
        check_message(&TestImage(7), &["7"]);
        check_message(&WeightsLine(InsideWeights::Trained { epochs: 3 }), &["3"]);
    }
}
