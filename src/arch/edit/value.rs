//! A field's text and its value: what a field may hold ([`Kind`]), reading
//! a text against it ([`parse`]) and writing a value back ([`Value::text`]),
//! the way the editor shows it.

use super::{Column, ValueProblem};
use crate::bounds::{Bounds, OutOfBounds};

/// What a field holds, and the bounds its text is checked against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Whole {
        min: usize,
        max: usize,
    },
    Number {
        min: f64,
        max: f64,
    },
    /// One of these values (the text is the value).
    Choice(&'static [&'static str]),
    Flag,
    /// Whole numbers in a row: `6, 16`.
    List {
        min_len: usize,
        max_len: usize,
        min: usize,
        max: usize,
    },
    /// A table of whole numbers, one row per block: `1×64, 1×128`.
    Rows {
        columns: &'static [Column],
        min_rows: usize,
        max_rows: usize,
        min: usize,
        max: usize,
    },
}

/// A field's value, parsed.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Whole(usize),
    Number(f64),
    Text(&'static str),
    Flag(bool),
    List(Vec<usize>),
    Rows(Vec<Vec<usize>>),
}

impl Value {
    /// The value as the editor shows it (`6, 16`; `1×64, 1×128`; `on`),
    /// which [`parse`] reads back.
    pub(super) fn text(&self) -> String {
        let join =
            |items: &[usize], sep: &str| items.iter().map(usize::to_string).collect::<Vec<_>>().join(sep);
        match self {
            Value::Whole(n) => n.to_string(),
            Value::Number(x) => x.to_string(),
            Value::Text(t) => t.to_string(),
            Value::Flag(true) => "on".to_string(),
            Value::Flag(false) => "off".to_string(),
            Value::List(items) => join(items, ", "),
            Value::Rows(rows) => rows
                .iter()
                .map(|row| join(row, "×"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

fn parse_whole(text: &str, min: usize, max: usize) -> Result<usize, OutOfBounds> {
    Bounds::new(min, max).parse(text)
}

/// Splits a list on commas, underscores (the link's form) or spaces.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '_', ' ', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// `text` as a value of `kind`, or why it is not one (without the field's
/// label: the caller knows which field it is).
pub(super) fn parse(kind: Kind, text: &str) -> Result<Value, ValueProblem> {
    match kind {
        Kind::Whole { min, max } => parse_whole(text, min, max)
            .map(Value::Whole)
            .map_err(ValueProblem::OutOfBounds),
        Kind::Number { min, max } => Bounds::new(min, max)
            .parse(text)
            .map(Value::Number)
            .map_err(ValueProblem::OutOfBounds),
        Kind::Choice(choices) => choices
            .iter()
            .find(|choice| **choice == text.trim())
            .map(|choice| Value::Text(choice))
            .ok_or_else(|| ValueProblem::NotAChoice {
                choices: choices.iter().map(|choice| choice.to_string()).collect(),
            }),
        Kind::Flag => parse_flag(text).map(Value::Flag),
        Kind::List {
            min_len,
            max_len,
            min,
            max,
        } => parse_list(text, (min_len, max_len), (min, max)).map(Value::List),
        Kind::Rows {
            columns,
            min_rows,
            max_rows,
            min,
            max,
        } => parse_rows(text, columns, (min_rows, max_rows), (min, max)).map(Value::Rows),
    }
}

fn parse_flag(text: &str) -> Result<bool, ValueProblem> {
    match text.trim() {
        "on" | "1" | "true" | "yes" => Ok(true),
        "off" | "0" | "false" | "no" => Ok(false),
        other => Err(ValueProblem::NotAFlag {
            text: other.to_string(),
        }),
    }
}

/// Whole numbers within `min..=max`, from `len.0` to `len.1` of them.
fn parse_list(
    text: &str,
    (min_len, max_len): (usize, usize),
    (min, max): (usize, usize),
) -> Result<Vec<usize>, ValueProblem> {
    let values = items(text)
        .map(|item| parse_whole(item, min, max))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ValueProblem::OutOfBounds)?;
    match (min_len..=max_len).contains(&values.len()) {
        true => Ok(values),
        false => Err(ValueProblem::ListLength {
            min: min_len,
            max: max_len,
            found: values.len(),
        }),
    }
}

/// Rows of one whole number per column (cells joined by `×`, `x`, `*` or
/// `/`), from `rows.0` to `rows.1` of them.
fn parse_rows(
    text: &str,
    columns: &[Column],
    (min_rows, max_rows): (usize, usize),
    (min, max): (usize, usize),
) -> Result<Vec<Vec<usize>>, ValueProblem> {
    let mut rows = vec![];
    for (i, row) in items(text).enumerate() {
        let cells = row
            .split(['×', 'x', '*', '/'])
            .map(|cell| parse_whole(cell, min, max).map_err(|cell| ValueProblem::InRow { row: i + 1, cell }))
            .collect::<Result<Vec<_>, _>>()?;
        if cells.len() != columns.len() {
            return Err(ValueProblem::RowCells {
                row: i + 1,
                found: cells.len(),
                columns: columns.to_vec(),
            });
        }
        rows.push(cells);
    }
    match (min_rows..=max_rows).contains(&rows.len()) {
        true => Ok(rows),
        false => Err(ValueProblem::RowCount {
            min: min_rows,
            max: max_rows,
            found: rows.len(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Say, check_message};

    /// `parse`, its problem as the command line says it.
    fn parse_text(kind: Kind, text: &str) -> Result<Value, String> {
        parse(kind, text).map_err(|e| e.to_string())
    }

    const LIST: Kind = Kind::List {
        min_len: 1,
        max_len: 3,
        min: 1,
        max: 100,
    };
    const PAIRS: Kind = Kind::Rows {
        columns: &[Column::Convolutions, Column::Channels],
        min_rows: 1,
        max_rows: 2,
        min: 1,
        max: 512,
    };

    #[test]
    fn whole_numbers_and_numbers_keep_to_their_bounds() {
        let kernel = Kind::Whole { min: 1, max: 11 };
        assert_eq!(parse_text(kernel, " 5 "), Ok(Value::Whole(5)));
        assert_eq!(parse_text(kernel, "11"), Ok(Value::Whole(11)));
        assert_eq!(
            parse_text(kernel, "12"),
            Err("a whole number from 1 to 11, not “12”".to_string())
        );
        assert!(parse(kernel, "2.5").is_err());
        let dropout = Kind::Number { min: 0.0, max: 0.95 };
        assert_eq!(parse_text(dropout, "0.5"), Ok(Value::Number(0.5)));
        assert_eq!(
            parse_text(dropout, "1"),
            Err("a number from 0 to 0.95, not “1”".to_string())
        );
        assert!(parse(dropout, "NaN").is_err());
    }

    #[test]
    fn choices_and_flags_take_their_words() {
        let pooling = Kind::Choice(&["avg", "max"]);
        assert_eq!(parse_text(pooling, " max "), Ok(Value::Text("max")));
        assert_eq!(parse_text(pooling, "Max"), Err("one of avg, max".to_string()));
        for on in ["on", "1", "true", "yes", " on "] {
            assert_eq!(parse_text(Kind::Flag, on), Ok(Value::Flag(true)), "{on}");
        }
        for off in ["off", "0", "false", "no"] {
            assert_eq!(parse_text(Kind::Flag, off), Ok(Value::Flag(false)), "{off}");
        }
        assert_eq!(
            parse_text(Kind::Flag, "maybe"),
            Err("on or off, not “maybe”".to_string())
        );
    }

    #[test]
    fn a_list_splits_on_commas_underscores_spaces_and_semicolons() {
        for text in ["6, 16", "6_16", "6 16", "6;16", " 6 ,, 16 "] {
            assert_eq!(parse_text(LIST, text), Ok(Value::List(vec![6, 16])), "{text}");
        }
        assert_eq!(
            parse_text(LIST, ""),
            Err("from 1 to 3 numbers, not 0".to_string())
        );
        assert_eq!(
            parse_text(LIST, "1, 2, 3, 4"),
            Err("from 1 to 3 numbers, not 4".to_string())
        );
        let five = Kind::List {
            min_len: 5,
            max_len: 5,
            min: 1,
            max: 10,
        };
        assert_eq!(
            parse_text(five, "1, 2"),
            Err("exactly 5 numbers, not 2".to_string())
        );
        assert_eq!(
            parse_text(LIST, "6, 0"),
            Err("a whole number from 1 to 100, not “0”".to_string())
        );
    }

    #[test]
    fn rows_split_into_cells_on_times_x_star_or_slash() {
        for text in ["1×64, 2×128", "1x64_2x128", "1*64 2/128"] {
            assert_eq!(
                parse_text(PAIRS, text),
                Ok(Value::Rows(vec![vec![1, 64], vec![2, 128]])),
                "{text}"
            );
        }
        assert_eq!(
            parse_text(PAIRS, "1×64, 2"),
            Err("row 2 has 1 numbers; each row is convolutions × channels".to_string())
        );
        assert_eq!(
            parse_text(PAIRS, "1×64, 2×abc"),
            Err("row 2: a whole number from 1 to 512, not “abc”".to_string())
        );
        assert_eq!(parse_text(PAIRS, ""), Err("from 1 to 2 rows, not 0".to_string()));
        assert_eq!(
            parse_text(PAIRS, "1×1, 1×1, 1×1"),
            Err("from 1 to 2 rows, not 3".to_string())
        );
    }

    #[test]
    fn every_value_reads_back_from_its_text() {
        let cases = [
            (Kind::Whole { min: 0, max: 9 }, Value::Whole(0)),
            (Kind::Number { min: 1e-8, max: 1.0 }, Value::Number(1e-5)),
            (Kind::Choice(&["sigmoid", "relu"]), Value::Text("relu")),
            (Kind::Flag, Value::Flag(false)),
            (LIST, Value::List(vec![6, 16, 100])),
            (PAIRS, Value::Rows(vec![vec![2, 64], vec![3, 512]])),
        ];
        for (kind, value) in cases {
            assert_eq!(parse(kind, &value.text()), Ok(value.clone()), "{}", value.text());
        }
        assert_eq!(Value::Rows(vec![vec![2, 64], vec![3, 512]]).text(), "2×64, 3×512");
        assert_eq!(Value::List(vec![]).text(), "");
    }

    /// One sample of every problem: the same numbers and names in both
    /// languages.
    #[test]
    fn every_problem_says_itself_in_both_languages() {
        let samples: Vec<(Kind, &str, &[&str])> = vec![
            (Kind::Whole { min: 1, max: 11 }, "12", &["1", "11", "12"]),
            (Kind::Choice(&["avg", "max"]), "Max", &["avg", "max"]),
            (Kind::Flag, "maybe", &["on", "off", "maybe"]),
            (LIST, "", &["1", "3", "0"]),
            (PAIRS, "1×64, 2", &["2", "1"]),
            (PAIRS, "1×64, 2×abc", &["2", "1", "512", "abc"]),
            (PAIRS, "", &["1", "2", "0"]),
        ];
        for (kind, text, values) in samples {
            let problem = parse(kind, text).unwrap_err();
            check_message(&problem, values);
        }
        let five = Kind::List {
            min_len: 5,
            max_len: 5,
            min: 1,
            max: 10,
        };
        check_message(&parse(five, "1, 2").unwrap_err(), &["5", "2"]);
        assert_eq!(
            parse(PAIRS, "1×64, 2").unwrap_err().say(Lang::Zh),
            "第 2 行有 1 个数；每行应为“卷积层数 × 通道数”"
        );
        assert_eq!(
            parse(PAIRS, "1×64, 2×abc").unwrap_err().say(Lang::Zh),
            "第 2 行：应为1 到 512 之间的整数，而不是“abc”"
        );
    }
}
