//! The edits as a link's `edit=` parameter: the fields where a net differs
//! from the book's, in a URL-safe form (`ch-6_16~act-relu`).

use super::{EditError, changes, set};
use crate::arch::{Arch, NetConfig};

/// The fields where `config` differs from the book's net, as `key-value`
/// pairs joined by `~`, in the link's URL-safe form (`ch-6_16~act-relu`);
/// empty for the book's net. VGG's width ratio is left to `ratio=`.
pub fn to_query(config: &NetConfig) -> String {
    changes(config)
        .into_iter()
        .filter(|change| change.field.key != "ratio")
        .map(|change| format!("{}-{}", change.field.key, url_safe(&change.field.value)))
        .collect::<Vec<_>>()
        .join("~")
}

/// A field's text in the link's form, which the field's parsing reads as
/// it reads the editor's: `6, 16` as `6_16`, `1×64` as `1x64`.
fn url_safe(text: &str) -> String {
    text.replace(", ", "_").replace('×', "x")
}

/// The book's net for `arch` with the edits of `query` (`to_query`'s form)
/// applied in order; an edit that cannot be used is named in the errors
/// and left out.
pub fn from_query(arch: Arch, query: &str) -> (NetConfig, Vec<EditError>) {
    let (config, errors) = apply_query(NetConfig::default_for(arch), query);
    (config, errors.into_iter().map(|(_, error)| error).collect())
}

/// `config` with the edits of `query` (`to_query`'s form) applied in
/// order; each edit that cannot be used is left out and returned with why.
pub fn apply_query(mut config: NetConfig, query: &str) -> (NetConfig, Vec<(&str, EditError)>) {
    let mut errors = vec![];
    for edit in query.split('~').filter(|edit| !edit.is_empty()) {
        let (key, value) = edit.split_once('-').unwrap_or((edit, ""));
        match set(&config, key, value) {
            Ok(edited) => config = edited,
            Err(e) => errors.push((edit, e)),
        }
    }
    (config, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_rows_are_written_without_spaces_or_times_signs() {
        assert_eq!(url_safe("6, 16"), "6_16");
        assert_eq!(url_safe("1×64, 2×128"), "1x64_2x128");
        assert_eq!(url_safe("relu"), "relu");
    }

    #[test]
    fn edits_apply_in_order_and_a_bad_one_is_left_out_with_why() {
        let lenet = NetConfig::default_for(Arch::LeNet);
        let (net, errors) = apply_query(lenet.clone(), "~k-3~nope-1~~pad-9~k-7");
        let expected = set(&set(&lenet, "k", "3").unwrap(), "k", "7").unwrap();
        assert_eq!(net, expected);
        let keys: Vec<&str> = errors.iter().map(|(edit, _)| *edit).collect();
        assert_eq!(keys, ["nope-1", "pad-9"]);
        assert_eq!(errors[0].1.to_string(), "LeNet has no setting “nope”");
        assert!(
            errors[1]
                .1
                .to_string()
                .starts_with("first convolution's padding: "),
            "{}",
            errors[1].1
        );
        assert_eq!(apply_query(lenet.clone(), ""), (lenet, vec![]));
    }
}
