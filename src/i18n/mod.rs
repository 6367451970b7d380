//! The reader's language: English, or Simplified Chinese as the book's
//! Chinese edition (d2l-zh) words it — 汇聚层, not 池化层; 批量规范化;
//! 稠密块 and 过渡层 — for every word the page shows.
//!
//! A hand-written catalogue, checked by the compiler: each static string
//! is one entry with both languages side by side (`text!`), so one missing
//! in either does not build; each message with numbers is a typed value
//! (the core's errors among them) that says itself in either language
//! ([`Say`]), its `match` on the language exhaustive. Numbers, durations
//! and dates go through the browser's `Intl` where there is one
//! ([`Lang::number`] and friends).
//!
//! Why not `leptos_i18n`: there a key missing in one language is a build
//! warning and an English fallback at run time, its catalogue cannot be
//! tested natively (Leptos builds for wasm only here), and it adds ~80 KB
//! gzipped and a six-minute build of ICU tooling for plural rules that
//! English and Chinese do not need.

pub mod classes;
pub mod data;
pub mod edit;
mod english;
pub mod explain;
mod format;
pub mod lab;
mod link;
pub mod nets;
pub mod own_data;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub mod page_inside;
pub mod page_own;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub mod page_train;
pub mod run;
mod shape;
pub mod text;
mod training;
mod weights;

use serde::{Deserialize, Serialize};

pub use text::Text;

/// A language the page speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// As a link says it: `lang=en`, `lang=zh`.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's own name, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// A link's `lang=` value or a browser's language tag: `zh`, `zh-CN`,
    /// `zh-Hans-CN`, `en-GB`… (Traditional Chinese, `zh-TW`, `zh-Hant`, is
    /// read as Chinese too: the book's terms are the same.)
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The first of the browser's languages (most wanted first) the page
    /// speaks; English if none.
    pub fn from_browser<'a>(languages: impl IntoIterator<Item = &'a str>) -> Lang {
        languages.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// A static string of a catalogue.
    pub fn t(self, text: impl Catalogue) -> &'static str {
        text.get(self)
    }

    /// `say`'s counterpart: a typed message in this language.
    pub fn say(self, message: &impl Say) -> String {
        message.say(self)
    }

    /// Picks between the two languages' forms of one message.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A message with its numbers, said in the reader's language.
pub trait Say {
    fn say(&self, lang: Lang) -> String;
}

/// A list of static strings in both languages (declared with `catalogue!`).
pub trait Catalogue: Copy + std::fmt::Debug + 'static {
    /// Every entry, for the catalogue's tests.
    const ALL: &'static [Self];
    fn get(self, lang: Lang) -> &'static str;
}

impl<C: Catalogue> Say for C {
    fn say(&self, lang: Lang) -> String {
        self.get(lang).to_string()
    }
}

/// Whether `text` holds a Han character (Chinese).
pub fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The catalogue test: every entry says something in both languages, its
/// Chinese is Chinese (or the same as its English: a name, code), its
/// English holds no Chinese.
#[cfg(test)]
pub(crate) fn check_catalogue<C: Catalogue>(entries: &[C]) {
    for &entry in entries {
        for lang in Lang::ALL {
            assert!(
                !entry.get(lang).trim().is_empty(),
                "{entry:?} is empty in {lang:?}"
            );
        }
        let (en, zh) = (entry.get(Lang::En), entry.get(Lang::Zh));
        assert!(has_han(zh) || en == zh, "{entry:?}: “{zh}” is not Chinese");
        assert!(!has_han(en), "{entry:?}: its English “{en}” has Chinese");
    }
}

/// The test of a typed message: it says something in both languages, the
/// Chinese is Chinese and the English is not, and each of `values` (its
/// numbers and names, as written) appears in both: the same placeholders.
#[cfg(test)]
pub(crate) fn check_message(message: &impl Say, values: &[&str]) {
    let (en, zh) = (message.say(Lang::En), message.say(Lang::Zh));
    assert!(
        !en.trim().is_empty() && !zh.trim().is_empty(),
        "an empty message: “{en}” / “{zh}”"
    );
    assert!(has_han(&zh), "not Chinese: “{zh}”");
    assert!(!has_han(&en), "Chinese in English: “{en}”");
    for value in values {
        assert!(en.contains(value), "“{en}” lacks {value}");
        assert!(zh.contains(value), "“{zh}” lacks {value}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_or_a_browser_names_the_language() {
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh_Hans_CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_browser(["de-DE", "zh-CN", "en"]), Lang::Zh);
        assert_eq!(Lang::from_browser(["fr"]), Lang::En);
        assert_eq!(Lang::from_browser([]), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.id()), Some(lang));
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
