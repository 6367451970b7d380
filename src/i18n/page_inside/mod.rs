//! The words of the page's views of the net itself, in both languages:
//! inside the net (gallery, chosen picture, a row's maps and filters),
//! one's own picture, the shape table and the editor's own buttons, and
//! the run history. Each room declares its catalogue (`catalogue!`) and
//! its typed messages (`Say`).
//!
//! The Chinese follows d2l-zh: 特征映射, 通道, 卷积核, 输出形状, 批量大小,
//! 学习率, 轮 (epoch), 精度 (accuracy); the gallery's two lines are the
//! book's 实际标签 (first line) and 预测 (second line), as its
//! `predict_ch3` section says them; the logits are its 未规范化的预测.

mod exercise;
mod explain;
mod gallery;
mod history;
mod inside;
mod picture;
mod table;

pub use exercise::*;
pub use explain::*;
pub use gallery::*;
pub use history::*;
pub use inside::*;
pub use picture::*;
pub use table::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, Lang, Say, check_catalogue};

    #[test]
    fn every_entry_says_something_in_both_languages() {
        check_catalogue(InsideText::ALL);
        check_catalogue(TableText::ALL);
        check_catalogue(EditorText::ALL);
        check_catalogue(HistoryText::ALL);
    }

    #[test]
    fn the_terms_are_the_books() {
        let all: Vec<&str> = InsideText::ALL
            .iter()
            .map(|t| t.get(Lang::Zh))
            .chain(TableText::ALL.iter().map(|t| t.get(Lang::Zh)))
            .chain(EditorText::ALL.iter().map(|t| t.get(Lang::Zh)))
            .chain(HistoryText::ALL.iter().map(|t| t.get(Lang::Zh)))
            .collect();
        for text in all {
            assert!(!text.contains("池化"), "{text}: 汇聚, as d2l-zh says it");
            assert!(!text.contains("归一化"), "{text}: 规范化, as d2l-zh says it");
        }
        let filters = FiltersLine {
            outputs_shown: 6,
            outputs: 6,
            inputs_shown: 1,
            inputs: 1,
            kernel: [5, 5],
            scale: 0.5,
        };
        assert!(filters.say(Lang::Zh).contains("卷积核"));
        let maps = OutputLine::Maps {
            channels: 6,
            height: 28,
            width: 28,
        };
        assert!(maps.say(Lang::Zh).contains("通道的特征映射"));
        assert!(TableText::OutputShape.get(Lang::Zh) == "输出形状");
        assert!(
            RunSettings {
                resize: 28,
                batch: 256,
                lr: 0.9,
                epochs: 10
            }
            .say(Lang::Zh)
            .contains("批量大小 256，学习率 0.9，10 轮")
        );
    }
}
