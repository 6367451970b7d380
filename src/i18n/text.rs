//! The page's static strings, each in both languages side by side: an
//! entry without its Chinese (or its English) does not build.
//!
//! Terms as d2l-zh uses them (its TERMINOLOGY.md and chapter text):
//! 卷积层, 汇聚层 (最大/平均汇聚层, 全局平均汇聚层), 批量规范化, 残差块,
//! 稠密块, 过渡层, 填充, 步幅, 通道, 卷积核, 特征映射, 全连接层, 学习率,
//! 批量大小, 轮 (epoch), 暂退法 (dropout), 精度 (accuracy). Layer class
//! names that are code (`Conv2d`, `MaxPool2d`) stay as the book's code
//! writes them.

use super::Lang;

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $key:ident => $en:literal, $zh:literal; )*) => {
        /// A static string of the page.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text {
            $( $(#[$doc])* $key, )*
        }

        impl Text {
            /// Every entry, for the catalogue's test.
            pub const ALL: &'static [Text] = &[ $( Text::$key, )* ];

            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (Text::$key, Lang::En) => $en, (Text::$key, Lang::Zh) => $zh, )*
                }
            }
        }
    };
}

catalogue! {
    LanguageSwitch => "Language", "语言";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_says_something_in_both_languages() {
        for &text in Text::ALL {
            for lang in Lang::ALL {
                let said = text.get(lang);
                assert!(!said.trim().is_empty(), "{text:?} is empty in {lang:?}");
            }
            // A Chinese entry is Chinese unless it is code or a name.
            let zh = text.get(Lang::Zh);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) || text.get(Lang::En) == zh,
                "{text:?}: “{zh}” has no Chinese"
            );
            // And an English one has no Chinese.
            assert!(
                !text
                    .get(Lang::En)
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{text:?}: its English has Chinese"
            );
        }
    }
}
