//! Fashion-MNIST's ten classes, in label order (`data::CLASS_NAMES` is the
//! book's English, which the command line prints), as d2l-zh names them.

use super::{Catalogue, Lang};

crate::catalogue! {
    /// A Fashion-MNIST class, by its label.
    pub enum FashionClass {
        TShirt => "t-shirt", "T恤";
        Trouser => "trouser", "裤子";
        Pullover => "pullover", "套衫";
        Dress => "dress", "连衣裙";
        Coat => "coat", "外套";
        Sandal => "sandal", "凉鞋";
        Shirt => "shirt", "衬衫";
        Sneaker => "sneaker", "运动鞋";
        Bag => "bag", "包";
        AnkleBoot => "ankle boot", "短靴";
    }
}

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
