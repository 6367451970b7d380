//! Why an edit cannot be made, as typed values: the field and what is
//! wrong with its text, with the bounds and the text as typed. The words
//! are in `crate::i18n::edit`, in English and Chinese.

use serde::{Deserialize, Serialize};

use super::{Column, FieldLabel};
use crate::arch::Arch;
use crate::bounds::OutOfBounds;

/// Why an edit of a net cannot be made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum EditError {
    /// The text is not a value for the field.
    Field {
        label: FieldLabel,
        problem: ValueProblem,
    },
    /// The net has no field with this key (a link's or a flag's edit).
    NoSuchField { arch: Arch, key: String },
    /// A description (read from a file) with settings no field holds.
    NoFieldFor { arch: Arch },
}

/// What is wrong with a field's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ValueProblem {
    /// A number outside the field's bounds, or not a number.
    OutOfBounds(OutOfBounds),
    /// Not one of the field's choices (listed as a link writes them).
    NotAChoice {
        choices: Vec<String>,
    },
    NotAFlag {
        text: String,
    },
    /// A list of `found` numbers where `min` to `max` are taken.
    ListLength {
        min: usize,
        max: usize,
        found: usize,
    },
    /// Row `row` (from 1) of a table has `found` numbers, not one per column.
    RowCells {
        row: usize,
        found: usize,
        columns: Vec<Column>,
    },
    /// A cell of row `row` (from 1) is not a number within the bounds.
    InRow {
        row: usize,
        cell: OutOfBounds,
    },
    /// A table of `found` rows where `min` to `max` are taken.
    RowCount {
        min: usize,
        max: usize,
        found: usize,
    },
}
