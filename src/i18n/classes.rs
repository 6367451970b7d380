//! A Fashion-MNIST class's name by its label (`i18n::data::FashionClass`:
//! the book's English, which the command line prints, and d2l-zh's Chinese).

use std::cell::RefCell;

use super::data::FashionClass;
use super::{Catalogue, Lang};

thread_local! {
    /// The classes of the images of one's own the page holds, if it holds
    /// such (their names are the folders', in any language).
    static OWN_CLASSES: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Names classes by `names` from now on (images of one's own), or by
/// Fashion-MNIST's (`None`). The page calls it when the worker says which
/// data it holds.
pub fn use_class_names(names: Option<Vec<String>>) {
    OWN_CLASSES.with(|own| *own.borrow_mut() = names);
}

/// The name of class `label` in `lang`: the data's own name for it, or
/// Fashion-MNIST's ("?" past the last).
pub fn class_name(label: usize, lang: Lang) -> String {
    let own = OWN_CLASSES.with(|own| own.borrow().as_ref().map(|names| names.get(label).cloned()));
    match own {
        Some(name) => name.unwrap_or_else(|| "?".to_string()),
        None => FashionClass::ALL
            .get(label)
            .map_or("?", |class| class.get(lang))
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_are_the_books_in_label_order() {
        crate::i18n::check_catalogue(FashionClass::ALL);
        for (label, english) in crate::data::CLASS_NAMES.iter().enumerate() {
            assert_eq!(class_name(label, Lang::En), *english);
        }
        assert_eq!(class_name(0, Lang::Zh), "T恤");
        assert_eq!(class_name(9, Lang::Zh), "短靴");
        assert_eq!(class_name(10, Lang::Zh), "?");
    }

    #[test]
    fn own_classes_are_named_by_their_folders_until_fashion_comes_back() {
        use_class_names(Some(vec!["circle".into(), "square".into()]));
        assert_eq!(class_name(1, Lang::Zh), "square");
        assert_eq!(class_name(2, Lang::En), "?");
        use_class_names(None);
        assert_eq!(class_name(1, Lang::En), "trouser");
    }
}
