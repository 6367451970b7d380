//! Numbers as people read them, shared by the command line and the page.

/// `61706` → `61,706`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `5_360_168` → `5.1 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Large counts in short form: `938_146_176` → `938.1M`.
pub fn short(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}K", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.2}G", n as f64 / 1e9),
    }
}

/// `[1, 6, 28, 28]`, as PyTorch prints a size.
pub fn shape(dims: &[usize]) -> String {
    let inner: Vec<String> = dims.iter().map(usize::to_string).collect();
    format!("[{}]", inner.join(", "))
}

/// A rough duration: "40 s", "12 min", "3.5 h".
pub fn duration(seconds: f64) -> String {
    match seconds {
        s if s < 90.0 => format!("{:.0} s", s.max(1.0)),
        s if s < 90.0 * 60.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.1} h", s / 3600.0),
    }
}

/// `words` in lines of at most `width` characters, a space apart (a longer
/// word alone on its line): the command line's help and the exported
/// script's comments.
pub fn wrap<'a>(words: impl IntoIterator<Item = &'a str>, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    for word in words {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(61_706), "61,706");
        assert_eq!(thousands(46_764_746), "46,764,746");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(60_008), "58.6 KiB");
        assert_eq!(bytes(5_360_168), "5.1 MiB");
        assert_eq!(short(416_520), "416.5K");
        assert_eq!(short(938_146_176), "938.1M");
        assert_eq!(shape(&[1, 6, 28, 28]), "[1, 6, 28, 28]");
    }

    #[test]
    fn durations_read_as_a_person_says_them() {
        assert_eq!(super::duration(0.2), "1 s");
        assert_eq!(super::duration(42.0), "42 s");
        assert_eq!(super::duration(600.0), "10 min");
        assert_eq!(super::duration(3.5 * 3600.0), "3.5 h");
    }

    #[test]
    fn wrap_fills_lines_up_to_the_width_and_keeps_long_words_whole() {
        let words = |text: &'static str| text.split_whitespace();
        assert_eq!(wrap(words("a bb ccc dd"), 6), ["a bb", "ccc dd"]);
        assert_eq!(wrap(words("a bb ccc dddd"), 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap(words("a verylongword b"), 4), ["a", "verylongword", "b"]);
        assert_eq!(wrap(words("abcdefgh ij"), 4), ["abcdefgh", "ij"]);
        assert_eq!(wrap(words("  "), 4), Vec::<String>::new());
        assert_eq!(wrap(words(""), 6), Vec::<String>::new());
        // A synopsis wraps between flags, never inside one.
        assert_eq!(wrap(["[--a N]", "[--b N]"], 10), ["[--a N]", "[--b N]"]);
    }
}
