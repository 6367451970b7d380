//! A Fashion-MNIST class's name by its label (`i18n::data::FashionClass`:
//! the book's English, which the command line prints, and d2l-zh's Chinese).

use super::data::FashionClass;
use super::{Catalogue, Lang};

/// The name of class `label` in `lang` ("?" past the tenth).
pub fn class_name(label: usize, lang: Lang) -> &'static str {
    FashionClass::ALL.get(label).map_or("?", |class| class.get(lang))
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
}
