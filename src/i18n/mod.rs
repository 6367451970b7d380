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

mod format;
pub mod text;

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

    /// A static string of the catalogue.
    pub fn t(self, text: Text) -> &'static str {
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

impl Say for Text {
    fn say(&self, lang: Lang) -> String {
        self.get(lang).to_string()
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
