//! A net's description as fields a student can edit, the book's exercises
//! as presets, and both as a compact link.
//!
//! Every net has a list of fields ([`fields`]); each field reads from and
//! writes to its [`NetConfig`] ([`set`]), so the page's editor, the link
//! (`edit=`) and the command line's JSON all change the same description
//! the shape table and the Burn module are built from. A field's text is
//! checked on its own here (a whole number, a choice, a list); whether the
//! net then fits its input is the shape table's to say, naming the layer.
//!
//! Each net's fields are declared once, one entry each, in `nets`
//! (through `spec::FieldSpec`); `value` reads and writes a field's text;
//! `query` is the link's form; `presets` the book's exercises.

mod error;
mod nets;
mod presets;
mod query;
mod spec;
mod value;

use super::NetConfig;

pub use crate::i18n::edit::{Choice, Column, FieldLabel};
pub use crate::i18n::nets::{PresetQuestion, PresetTitle};
pub use error::{EditError, ValueProblem};
pub use presets::{DEEP_PAIR_SIDE, Preset, deep_pair, preset, presets};
pub use query::{apply_query, from_query, to_query};
pub use value::Kind;

/// One editable setting of a net, with its current text.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Short and URL-safe: `edit=ch-6_16`.
    pub key: &'static str,
    pub label: FieldLabel,
    pub kind: Kind,
    pub value: String,
}

/// The net's editable fields, with their values in `config`.
pub fn fields(config: &NetConfig) -> Vec<Field> {
    nets::fields(config)
}

/// `config` with field `key` set from `text`, or why `text` is not a value
/// for it (naming the field).
pub fn set(config: &NetConfig, key: &str, text: &str) -> Result<NetConfig, EditError> {
    let mut config = config.clone();
    nets::set(&mut config, key, text)?;
    Ok(config)
}

/// Whether `config` is a net the editor could have made: every field
/// within its bounds, and nothing the fields do not hold. A description
/// read from a file (a weights file's metadata, `--config`) comes through
/// here before a net is built from it: one asking for a billion channels
/// would otherwise be allocated, not refused.
pub fn check(config: &NetConfig) -> Result<(), EditError> {
    // The data's channels and classes are no field of the editor's: the
    // data sets them.
    if !config.io().is_supported() {
        return Err(EditError::NoFieldFor { arch: config.arch() });
    }
    let mut rebuilt = NetConfig::default_for(config.arch()).with_io(config.io());
    for field in fields(config) {
        nets::set(&mut rebuilt, field.key, &field.value)?;
    }
    match rebuilt == *config {
        true => Ok(()),
        false => Err(EditError::NoFieldFor { arch: config.arch() }),
    }
}

/// A field where a net differs from the book's: `activation sigmoid → relu`.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The field, with its text in the net.
    pub field: Field,
    /// Its text in the book's net.
    pub book: String,
}

/// The fields where `config` differs from the book's net, each with the
/// book's text for it.
pub fn changes(config: &NetConfig) -> Vec<Change> {
    let book = fields(&NetConfig::default_for(config.arch()));
    fields(config)
        .into_iter()
        .zip(book)
        .filter(|(field, book)| field.value != book.value)
        .map(|(field, book)| Change {
            field,
            book: book.value,
        })
        .collect()
}
