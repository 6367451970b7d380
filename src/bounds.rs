//! Numbers a person types (a form field, a link's parameter, a flag, a
//! field of the net's editor), checked against their bounds in one place.
//!
//! The error keeps the bounds and the text as typed: the page says it in
//! the reader's language, the command line in its own words.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Say};

/// The smallest and largest accepted value, both included.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bounds<T> {
    pub min: T,
    pub max: T,
}

impl<T> Bounds<T> {
    pub const fn new(min: T, max: T) -> Bounds<T> {
        Bounds { min, max }
    }
}

/// A text that is not a number within its bounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutOfBounds {
    /// What was typed, trimmed.
    pub text: String,
    pub expected: Expected,
}

/// What an [`OutOfBounds`] text should have been.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expected {
    Whole { min: usize, max: usize },
    Number { min: f64, max: f64 },
}

/// The numbers bounds are kept for: whole numbers and reals.
pub trait Number: Copy + PartialOrd + std::str::FromStr {
    /// Whether the number is a real value (not NaN, not infinite).
    fn is_finite(self) -> bool;
    /// What a text should have been, for these bounds.
    fn expected(bounds: Bounds<Self>) -> Expected;
}

impl Number for usize {
    fn is_finite(self) -> bool {
        true
    }

    fn expected(Bounds { min, max }: Bounds<usize>) -> Expected {
        Expected::Whole { min, max }
    }
}

impl Number for f64 {
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }

    fn expected(Bounds { min, max }: Bounds<f64>) -> Expected {
        Expected::Number { min, max }
    }
}

impl<T: Number> Bounds<T> {
    pub fn contains(&self, x: T) -> bool {
        x.is_finite() && self.min <= x && x <= self.max
    }

    /// `text` (spaces around it ignored) as a number within the bounds.
    pub fn parse(&self, text: &str) -> Result<T, OutOfBounds> {
        match text.trim().parse::<T>() {
            Ok(x) if self.contains(x) => Ok(x),
            _ => Err(OutOfBounds {
                text: text.trim().to_string(),
                expected: T::expected(*self),
            }),
        }
    }
}

impl Say for Expected {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Expected::Whole { min, max }, Lang::En) => format!("a whole number from {min} to {max}"),
            (Expected::Whole { min, max }, Lang::Zh) => format!("{min} 到 {max} 之间的整数"),
            (Expected::Number { min, max }, Lang::En) => format!("a number from {min} to {max}"),
            (Expected::Number { min, max }, Lang::Zh) => format!("{min} 到 {max} 之间的数"),
        }
    }
}

/// `a whole number from 1 to 512, not “abc”`; `应为 1 到 512 之间的整数，而不是“abc”`.
impl Say for OutOfBounds {
    fn say(&self, lang: Lang) -> String {
        let (expected, text) = (self.expected.say(lang), &self.text);
        match lang {
            Lang::En => format!("{expected}, not “{text}”"),
            Lang::Zh => format!("应为{expected}，而不是“{text}”"),
        }
    }
}

/// In English, for the command line and logs.
impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl std::fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl std::error::Error for OutOfBounds {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_within_bounds_parse_and_others_say_why() {
        let side = Bounds::new(1usize, 512);
        assert_eq!(side.parse(" 28 "), Ok(28));
        assert_eq!(side.parse("512"), Ok(512));
        for text in ["0", "513", "2.5", "abc", "", "-1"] {
            let e = side.parse(text).unwrap_err();
            assert_eq!(e.expected, Expected::Whole { min: 1, max: 512 });
            assert_eq!(e.text, text.trim());
        }
        assert_eq!(
            side.parse("abc").unwrap_err().to_string(),
            "a whole number from 1 to 512, not “abc”"
        );
    }

    #[test]
    fn numbers_must_be_finite_and_within_bounds() {
        let lr = Bounds::new(1e-6, 10.0);
        assert_eq!(lr.parse("0.9"), Ok(0.9));
        for text in ["NaN", "inf", "11", "0", "x"] {
            assert!(lr.parse(text).is_err(), "{text}");
        }
        assert_eq!(
            lr.parse("11").unwrap_err().to_string(),
            "a number from 0.000001 to 10, not “11”"
        );
    }

    #[test]
    fn both_languages_say_the_bounds_and_the_text() {
        let e = Bounds::new(1usize, 512).parse("abc").unwrap_err();
        crate::i18n::check_message(&e, &["1", "512", "abc"]);
        assert_eq!(e.say(Lang::Zh), "应为1 到 512 之间的整数，而不是“abc”");
    }
}
