//! Numbers, sizes, durations and dates as the reader's language writes
//! them: through the browser's `Intl` in the page, and in plain digits
//! natively (the command line, the tests), which is how both languages
//! write them too.

use super::Lang;

impl Lang {
    /// `x` with `digits` decimals, thousands grouped: `61,706.5`.
    pub fn number(self, x: f64, digits: usize) -> String {
        intl::number(self, x, digits).unwrap_or_else(|| plain_number(x, digits))
    }

    /// A whole count: `61,706`.
    pub fn count(self, n: u64) -> String {
        self.number(n as f64, 0)
    }

    /// A rough duration: "40 s", "12 min", "3.5 h"; "40秒", "12分钟",
    /// "3.5小时". The units are ours, not `Intl`'s: its short English ones
    /// are "sec" and "hr", and the page (and its tests) say "s" and "h".
    pub fn duration(self, seconds: f64) -> String {
        let (value, digits, unit) = match seconds {
            s if s < 90.0 => (s.max(1.0), 0, Unit::Second),
            s if s < 90.0 * 60.0 => (s / 60.0, 0, Unit::Minute),
            s => (s / 3600.0, 1, Unit::Hour),
        };
        let value = self.number(value, digits);
        match self {
            Lang::En => format!("{value} {}", unit.en()),
            Lang::Zh => format!("{value}{}", unit.zh()),
        }
    }

    /// A size in bytes: `5.1 MiB` (binary units, as the book's tables).
    pub fn bytes(self, n: u64) -> String {
        const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
        if n < 1024 {
            return format!("{} B", self.count(n));
        }
        let mut value = n as f64 / 1024.0;
        let mut unit = 0;
        while value >= 1000.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        format!("{} {}", self.number(value, 1), UNITS[unit])
    }

    /// A moment (ms since 1970) as the reader's locale writes a date and
    /// a time.
    pub fn date_time(self, ms: f64) -> String {
        intl::date_time(self, ms).unwrap_or_else(|| format!("{:.0}", ms / 1000.0))
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Second,
    Minute,
    Hour,
}

impl Unit {
    fn en(self) -> &'static str {
        match self {
            Unit::Second => "s",
            Unit::Minute => "min",
            Unit::Hour => "h",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Unit::Second => "秒",
            Unit::Minute => "分钟",
            Unit::Hour => "小时",
        }
    }
}

/// `x` rounded to `digits` decimals, its whole part grouped by thousands.
fn plain_number(x: f64, digits: usize) -> String {
    let text = format!("{:.*}", digits, x.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use js_sys::{Array, Function, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::Lang;

    thread_local! {
        /// Formatters made so far, by what they format: making one is the
        /// slow part.
        static FORMATS: RefCell<HashMap<String, Function>> = RefCell::new(HashMap::new());
    }

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let options = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&options, &JsValue::from_str(key), value);
        }
        options
    }

    /// The `format` function of the formatter `make` builds, kept under `key`.
    fn formatter(key: String, make: impl FnOnce() -> Function) -> Function {
        FORMATS.with(|formats| formats.borrow_mut().entry(key).or_insert_with(make).clone())
    }

    fn locales(lang: Lang) -> Array {
        Array::of1(&JsValue::from_str(lang.tag()))
    }

    fn digits(digits: usize) -> [(&'static str, JsValue); 2] {
        let digits = JsValue::from_f64(digits as f64);
        [
            ("minimumFractionDigits", digits.clone()),
            ("maximumFractionDigits", digits),
        ]
    }

    fn call(format: &Function, value: JsValue) -> Option<String> {
        format.call1(&JsValue::NULL, &value).ok()?.as_string()
    }

    pub fn number(lang: Lang, x: f64, places: usize) -> Option<String> {
        let format = formatter(format!("n{}{places}", lang.id()), || {
            Intl::NumberFormat::new(&locales(lang), &options(&digits(places))).format()
        });
        call(&format, JsValue::from_f64(x))
    }

    pub fn date_time(lang: Lang, ms: f64) -> Option<String> {
        let format = formatter(format!("d{}", lang.id()), || {
            let options = options(&[
                ("dateStyle", JsValue::from_str("medium")),
                ("timeStyle", JsValue::from_str("short")),
            ]);
            Intl::DateTimeFormat::new(&locales(lang), &options).format()
        });
        call(&format, js_sys::Date::new(&JsValue::from_f64(ms)).into())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod intl {
    use super::Lang;

    pub fn number(_: Lang, _: f64, _: usize) -> Option<String> {
        None
    }

    pub fn date_time(_: Lang, _: f64) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(Lang::En.count(61_706), "61,706");
        assert_eq!(Lang::Zh.count(999), "999");
        assert_eq!(Lang::En.number(3325.46, 1), "3,325.5");
        assert_eq!(Lang::En.number(-0.04, 1), "0.0");
        assert_eq!(Lang::En.number(-1234.4, 0), "-1,234");
        assert_eq!(Lang::En.bytes(512), "512 B");
        assert_eq!(Lang::En.bytes(5_360_168), "5.1 MiB");
    }

    #[test]
    fn durations_read_as_a_person_says_them_in_either_language() {
        assert_eq!(Lang::En.duration(0.2), "1 s");
        assert_eq!(Lang::En.duration(600.0), "10 min");
        assert_eq!(Lang::En.duration(3.5 * 3600.0), "3.5 h");
        assert_eq!(Lang::Zh.duration(42.0), "42秒");
        assert_eq!(Lang::Zh.duration(600.0), "10分钟");
        assert_eq!(Lang::Zh.duration(3.5 * 3600.0), "3.5小时");
    }
}
