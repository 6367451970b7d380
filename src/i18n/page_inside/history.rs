//! The run history's words.

use crate::i18n::{Lang, Say};

crate::catalogue! {
    /// The run history: static strings.
    pub enum HistoryText {
        Title => "Your runs", "你的训练记录";
        ExportJson => "export all (JSON)", "全部导出（JSON）";
        ExportCsv => "export all (CSV)", "全部导出（CSV）";
        Empty => "Runs you train are kept here, in this browser, with their curves; tick several to compare them.",
            "你的每次训练都连同曲线保存在这里（只在此浏览器中）；勾选几次训练即可比较。";
        Compare => "compare", "比较";
        CompareRun => "compare this run", "比较这次训练";
        Name => "name", "名称";
        NameOfRun => "name of this run", "这次训练的名称";
        Net => "net", "网络";
        Settings => "settings", "设置";
        Backend => "backend", "后端";
        Epochs => "epochs", "轮数";
        TestAcc => "test acc", "测试精度";
        Ended => "ended", "结束";
        RunAgain => "run again", "再训练一次";
        RunAgainTitle => "fill the form with this run's settings", "用这次训练的设置填写表单";
        Json => "JSON", "JSON";
        Csv => "CSV", "CSV";
        Delete => "delete", "删除";
        Compared => "the ticked runs compared", "所勾选训练的对比";
        // How a run ended, as the history keeps the plain cases.
        Finished => "finished", "完成";
        Running => "running", "进行中";
        Interrupted => "interrupted: its page was closed or reloaded", "中断：运行它的页面被关闭或重新加载了";
    }
}

/// A run's settings in the history: `28px, batch 256, lr 0.9, 10 epochs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSettings {
    pub resize: usize,
    pub batch: usize,
    pub lr: f64,
    pub epochs: usize,
}

impl Say for RunSettings {
    fn say(&self, lang: Lang) -> String {
        // The learning rate as typed (0.9, 0.05): its digits, not a fixed count.
        let RunSettings {
            resize,
            batch,
            lr,
            epochs,
        } = *self;
        let (batch, epochs) = (lang.count(batch as u64), lang.count(epochs as u64));
        match lang {
            Lang::En => format!("{resize}px, batch {batch}, lr {lr}, {epochs} epochs"),
            Lang::Zh => format!("{resize} 像素，批量大小 {batch}，学习率 {lr}，{epochs} 轮"),
        }
    }
}

/// Why the run history is not kept (the store's reason, as it says it).
#[derive(Clone, Debug, PartialEq)]
pub struct StorageRefused {
    pub reason: String,
}

impl Say for StorageRefused {
    fn say(&self, lang: Lang) -> String {
        let reason = &self.reason;
        match lang {
            Lang::En => {
                format!("Run history is not kept in this browser ({reason}); the page works on without it.")
            }
            Lang::Zh => format!("此浏览器不保存训练记录（{reason}）；没有它页面也照常工作。"),
        }
    }
}

/// When a run started (ms since 1970), for its name's tooltip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Started(pub f64);

impl Say for Started {
    fn say(&self, lang: Lang) -> String {
        let at = lang.date_time(self.0);
        lang.pick(format!("started {at}"), format!("开始于 {at}"))
    }
}

/// The compare chart's words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChartText {
    /// The x axis: `epoch (1 to 10)`.
    Epochs(usize),
    /// The caption, with the loss that reaches the top.
    Caption { max_loss: f64 },
    /// A legend entry's figure: ` — test acc 0.812`.
    TestAcc(f64),
}

impl Say for ChartText {
    fn say(&self, lang: Lang) -> String {
        match (*self, lang) {
            (ChartText::Epochs(n), Lang::En) => format!("epoch (1 to {n})"),
            (ChartText::Epochs(n), Lang::Zh) => format!("轮（1 到 {n}）"),
            (ChartText::Caption { max_loss }, Lang::En) => format!(
                "test accuracy (solid) and training loss (dashed, up to {}) per epoch",
                lang.number(max_loss, 2)
            ),
            (ChartText::Caption { max_loss }, Lang::Zh) => format!(
                "每轮的测试精度（实线）和训练损失（虚线，最大 {}）",
                lang.number(max_loss, 2)
            ),
            (ChartText::TestAcc(acc), Lang::En) => format!(" — test acc {}", lang.number(acc, 3)),
            (ChartText::TestAcc(acc), Lang::Zh) => format!(" — 测试精度 {}", lang.number(acc, 3)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;

    #[test]
    fn the_history_says_its_numbers() {
        let settings = RunSettings {
            resize: 28,
            batch: 256,
            lr: 0.9,
            epochs: 10,
        };
        assert_eq!(settings.say(Lang::En), "28px, batch 256, lr 0.9, 10 epochs");
        check_message(&settings, &["28", "256", "0.9", "10"]);
        let refused = StorageRefused {
            reason: "this browser gives the page no IndexedDB".to_string(),
        };
        assert_eq!(
            refused.say(Lang::En),
            "Run history is not kept in this browser (this browser gives the page no IndexedDB); the page works on without it."
        );
        check_message(&refused, &["IndexedDB"]);
        check_message(&Started(1.7e12), &[]);
        check_message(&ChartText::Epochs(10), &["10"]);
        check_message(&ChartText::Caption { max_loss: 2.302 }, &["2.30"]);
        check_message(&ChartText::TestAcc(0.8124), &["0.812"]);
    }
}
