//! The page's static strings, each in both languages side by side: an
//! entry without its Chinese (or its English) does not build.
//!
//! Terms as d2l-zh uses them (its TERMINOLOGY.md and chapter text):
//! 卷积层, 汇聚层 (最大/平均汇聚层, 全局平均汇聚层), 批量规范化, 残差块,
//! 稠密块, 过渡层, 填充, 步幅, 通道, 卷积核, 特征映射, 全连接层, 学习率,
//! 批量大小, 轮 (epoch), 暂退法 (dropout), 精度 (accuracy). Layer class
//! names that are code (`Conv2d`, `MaxPool2d`) stay as the book's code
//! writes them.

/// Declares a catalogue: an enum of static strings, each entry with its
/// English and its Chinese (both required by the syntax). Used here for
/// the page's strings, and by the core for its labels (`Catalogue`).
#[macro_export]
macro_rules! catalogue {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $( $(#[$doc:meta])* $key:ident => $en:literal, $zh:literal; )*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$doc])* $key, )*
        }

        impl $crate::i18n::Catalogue for $name {
            const ALL: &'static [$name] = &[ $( $name::$key, )* ];

            fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$key, $crate::i18n::Lang::En) => $en, ($name::$key, $crate::i18n::Lang::Zh) => $zh, )*
                }
            }
        }
    };
}

catalogue! {
    /// A static string of the page.
    pub enum Text {
        LanguageSwitch => "Language", "语言";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, check_catalogue};

    #[test]
    fn every_entry_says_something_in_both_languages() {
        check_catalogue(Text::ALL);
    }
}
