//! The shape table's words, and the editor's own (its fields, choices,
//! presets and questions are the core's, `arch::edit`).

use crate::i18n::{Catalogue, Lang, Say};

crate::catalogue! {
    /// The shape table: static strings.
    pub enum TableText {
        Number => "#", "#";
        Layer => "layer", "层";
        Settings => "settings", "设置";
        OutputShape => "output shape", "输出形状";
        Params => "params", "参数";
        Macs => "MACs", "乘加次数";
        MacsTitle => "multiply-accumulates of one image's forward pass", "一张图像前向传播的乘加运算次数";
        Memory => "memory", "内存";
        MemoryTitle => "what the layer's outputs take, f32, for one image", "该层输出所占的内存（f32，一张图像）";
        Total => "total", "总计";
        ShowInside => "show the layers inside", "显示块内的层";
        ClickToSee => "click to see what this layer outputs", "点击查看这一层的输出";
    }
}

crate::catalogue! {
    /// The editor's own words (its fields, choices, presets and questions
    /// are the core's, `arch::edit`).
    pub enum EditorText {
        Change => "Change the net", "修改网络";
        Edited => " · edited", " · 已修改";
        Exercises => "the book's exercises", "书中的练习";
        ExercisesLabel => "The book's exercises:", "书中的练习：";
        Reset => "Reset to the book's", "恢复书中的网络";
        AsJson => "As JSON, for ", "JSON 格式，用于 ";
        Copy => "Copy", "复制";
        Copied => "copied", "已复制";
        CopyBlocked => "select it below: the clipboard is blocked", "请在下方选中复制：剪贴板被阻止了";
        RemoveRow => "remove this row", "删除这一行";
        AddRow => "+ add a row", "+ 添加一行";
    }
}

/// `Activations: 120.8 KiB per image, 7.5 MiB at batch 64 (f32, before gradients).`
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActivationsLine {
    pub per_image: u64,
    pub batch: usize,
}

impl Say for ActivationsLine {
    fn say(&self, lang: Lang) -> String {
        let (one, all, b) = (
            lang.bytes(self.per_image),
            lang.bytes(self.per_image * self.batch as u64),
            lang.count(self.batch as u64),
        );
        match lang {
            Lang::En => format!("Activations: {one} per image, {all} at batch {b} (f32, before gradients)."),
            Lang::Zh => format!("激活值：每张图像 {one}，批量大小为 {b} 时 {all}（f32，不含梯度）。"),
        }
    }
}

/// The table's input shape, in its foot: `input [1, 1, 28, 28]`.
#[derive(Clone, Debug, PartialEq)]
pub struct InputShape(pub String);

impl Say for InputShape {
    fn say(&self, lang: Lang) -> String {
        lang.pick(format!("input {}", self.0), format!("输入 {}", self.0))
    }
}

/// A large count in short form: `938.1M`, `416.5K` (the letters are units,
/// as in both languages' technical writing).
pub fn short_count(n: u64, lang: Lang) -> String {
    match n {
        0..1_000 => lang.count(n),
        1_000..1_000_000 => format!("{}K", lang.number(n as f64 / 1e3, 1)),
        1_000_000..1_000_000_000 => format!("{}M", lang.number(n as f64 / 1e6, 1)),
        _ => format!("{}G", lang.number(n as f64 / 1e9, 2)),
    }
}

/// A cell of the editor's table of blocks: `convolutions of row 2`, the
/// column named as its header names it.
#[derive(Clone, Debug, PartialEq)]
pub struct CellLabel {
    pub column: crate::i18n::edit::Column,
    pub row: usize,
}

impl Say for CellLabel {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{} of row {}", self.column.get(lang), self.row),
            Lang::Zh => format!("第 {} 行的{}", self.row, self.column.get(lang)),
        }
    }
}

/// The button that removes a row of an editor's table: `remove row 2`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RemoveRow(pub usize);

impl Say for RemoveRow {
    fn say(&self, lang: Lang) -> String {
        lang.pick(format!("remove row {}", self.0), format!("删除第 {} 行", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn the_table_and_the_editor_say_their_numbers() {
        let line = ActivationsLine {
            per_image: 5_360_168,
            batch: 256,
        };
        assert_eq!(
            line.say(Lang::En),
            "Activations: 5.1 MiB per image, 1.3 GiB at batch 256 (f32, before gradients)."
        );
        check_message(&line, &["5.1 MiB", "1.3 GiB", "256"]);
        check_message(&InputShape("[1, 1, 28, 28]".to_string()), &["[1, 1, 28, 28]"]);
        assert_eq!(short_count(999, Lang::En), "999");
        assert_eq!(short_count(416_520, Lang::Zh), "416.5K");
        assert_eq!(short_count(938_146_176, Lang::En), "938.1M");
        assert_eq!(short_count(3_938_146_176, Lang::En), "3.94G");
        for n in [0, 999, 61_706, 416_520, 938_146_176, 3_938_146_176] {
            assert_eq!(
                short_count(n, Lang::En),
                crate::format::short(n),
                "the command line's form"
            );
        }
        let cell = CellLabel {
            column: crate::i18n::edit::Column::Convolutions,
            row: 2,
        };
        check_message(&cell, &["2"]);
        assert_eq!(cell.say(Lang::En), "convolutions of row 2");
        assert_eq!(cell.say(Lang::Zh), "第 2 行的卷积层数");
        check_message(&RemoveRow(2), &["2"]);
    }
}
