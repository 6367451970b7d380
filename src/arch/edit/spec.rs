//! One field of the editor declared as one entry: its key, its label, the
//! text it takes, and how it reads and writes its net's description.

use std::ops::RangeInclusive;

use super::value::{self, Kind, Value};
use super::{Column, EditError, Field, FieldLabel};

/// One editable setting of a description of type `C` (`LeNetConfig`, …).
pub(super) struct FieldSpec<C> {
    /// Short and URL-safe: `edit=ch-6_16`.
    pub key: &'static str,
    label: FieldLabel,
    kind: Kind,
    access: Access<C>,
}

/// How a field reads and writes the description: a getter and a setter of
/// the type its kind parses to. The constructors below pair each kind with
/// its access, so a field cannot take a value its setter does not.
enum Access<C> {
    Whole(fn(&C) -> usize, fn(&mut C, usize)),
    Number(fn(&C) -> f64, fn(&mut C, f64)),
    Choice(fn(&C) -> &'static str, fn(&mut C, &'static str)),
    Flag(fn(&C) -> bool, fn(&mut C, bool)),
    List(fn(&C) -> Vec<usize>, fn(&mut C, Vec<usize>)),
    Rows(fn(&C) -> Vec<Vec<usize>>, fn(&mut C, Vec<Vec<usize>>)),
}

impl<C> FieldSpec<C> {
    /// A whole number within `range`.
    pub const fn whole(
        key: &'static str,
        label: FieldLabel,
        range: RangeInclusive<usize>,
        get: fn(&C) -> usize,
        put: fn(&mut C, usize),
    ) -> Self {
        let kind = Kind::Whole {
            min: *range.start(),
            max: *range.end(),
        };
        FieldSpec {
            key,
            label,
            kind,
            access: Access::Whole(get, put),
        }
    }

    /// A number within `range`.
    pub const fn number(
        key: &'static str,
        label: FieldLabel,
        range: RangeInclusive<f64>,
        get: fn(&C) -> f64,
        put: fn(&mut C, f64),
    ) -> Self {
        let kind = Kind::Number {
            min: *range.start(),
            max: *range.end(),
        };
        FieldSpec {
            key,
            label,
            kind,
            access: Access::Number(get, put),
        }
    }

    /// One of `choices`.
    pub const fn choice(
        key: &'static str,
        label: FieldLabel,
        choices: &'static [&'static str],
        get: fn(&C) -> &'static str,
        put: fn(&mut C, &'static str),
    ) -> Self {
        FieldSpec {
            key,
            label,
            kind: Kind::Choice(choices),
            access: Access::Choice(get, put),
        }
    }

    /// On or off.
    pub const fn flag(
        key: &'static str,
        label: FieldLabel,
        get: fn(&C) -> bool,
        put: fn(&mut C, bool),
    ) -> Self {
        FieldSpec {
            key,
            label,
            kind: Kind::Flag,
            access: Access::Flag(get, put),
        }
    }

    /// `len` whole numbers, each from 1 to `max`.
    pub const fn list(
        key: &'static str,
        label: FieldLabel,
        len: RangeInclusive<usize>,
        max: usize,
        get: fn(&C) -> Vec<usize>,
        put: fn(&mut C, Vec<usize>),
    ) -> Self {
        let kind = Kind::List {
            min_len: *len.start(),
            max_len: *len.end(),
            min: 1,
            max,
        };
        FieldSpec {
            key,
            label,
            kind,
            access: Access::List(get, put),
        }
    }

    /// `rows` rows of one whole number within `cells` per column.
    pub const fn rows(
        key: &'static str,
        label: FieldLabel,
        columns: &'static [Column],
        rows: RangeInclusive<usize>,
        cells: RangeInclusive<usize>,
        get: fn(&C) -> Vec<Vec<usize>>,
        put: fn(&mut C, Vec<Vec<usize>>),
    ) -> Self {
        let kind = Kind::Rows {
            columns,
            min_rows: *rows.start(),
            max_rows: *rows.end(),
            min: *cells.start(),
            max: *cells.end(),
        };
        FieldSpec {
            key,
            label,
            kind,
            access: Access::Rows(get, put),
        }
    }

    /// The field with its value in `config`.
    pub fn field(&self, config: &C) -> Field {
        Field {
            key: self.key,
            label: self.label,
            kind: self.kind,
            value: self.get(config).text(),
        }
    }

    /// Sets the field of `config` from `text`, or says why `text` is not a
    /// value for it (naming the field); `config` is left as it was then.
    pub fn set(&self, config: &mut C, text: &str) -> Result<(), EditError> {
        let value = value::parse(self.kind, text).map_err(|problem| EditError::Field {
            label: self.label,
            problem,
        })?;
        self.put(config, value);
        Ok(())
    }

    fn get(&self, config: &C) -> Value {
        match self.access {
            Access::Whole(get, _) => Value::Whole(get(config)),
            Access::Number(get, _) => Value::Number(get(config)),
            Access::Choice(get, _) => Value::Text(get(config)),
            Access::Flag(get, _) => Value::Flag(get(config)),
            Access::List(get, _) => Value::List(get(config)),
            Access::Rows(get, _) => Value::Rows(get(config)),
        }
    }

    /// Writes a value parsed against the field's kind.
    fn put(&self, config: &mut C, value: Value) {
        match (&self.access, value) {
            (Access::Whole(_, put), Value::Whole(n)) => put(config, n),
            (Access::Number(_, put), Value::Number(x)) => put(config, x),
            (Access::Choice(_, put), Value::Text(t)) => put(config, t),
            (Access::Flag(_, put), Value::Flag(on)) => put(config, on),
            (Access::List(_, put), Value::List(items)) => put(config, items),
            (Access::Rows(_, put), Value::Rows(rows)) => put(config, rows),
            // `parse` gives the value of the field's kind, and the
            // constructors pair each kind with its access.
            (_, value) => debug_assert!(false, "field {} cannot hold {value:?}", self.key),
        }
    }
}
