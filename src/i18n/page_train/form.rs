//! The net's panel and the form: the book's section, a net that cannot
//! take its input, a field out of bounds, the net a weights file brought.

use super::FormField;
use crate::bounds::OutOfBounds;
use crate::i18n::{Catalogue, Lang, Say};

/// The section of the book that builds a net: `d2l §6.6`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BookSection(pub &'static str);

impl Say for BookSection {
    fn say(&self, lang: Lang) -> String {
        let section = self.0;
        match lang {
            Lang::En => format!("d2l §{section}"),
            Lang::Zh => format!("动手学深度学习 §{section}"),
        }
    }
}

/// The start of the table's error when the net cannot take the input:
/// `A 28×28 input does not fit LeNet: ` (the layer and the reason follow).
#[derive(Clone, Debug, PartialEq)]
pub struct InputDoesNotFit {
    /// The input side, as the field holds it.
    pub side: String,
    /// The net's title.
    pub net: String,
}

impl Say for InputDoesNotFit {
    fn say(&self, lang: Lang) -> String {
        let (side, net) = (&self.side, &self.net);
        match lang {
            Lang::En => format!("A {side}×{side} input does not fit {net}: "),
            Lang::Zh => format!("{net}容不下 {side}×{side} 的输入："),
        }
    }
}

/// A field of the form that does not hold a number within its bounds:
/// `learning rate: a number from 0.000001 to 10`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldProblem {
    pub field: FormField,
    pub error: OutOfBounds,
}

impl Say for FieldProblem {
    fn say(&self, lang: Lang) -> String {
        let (field, expected) = (self.field.get(lang), self.error.expected.say(lang));
        match lang {
            Lang::En => format!("{field}: {expected}"),
            Lang::Zh => format!("{field}：应为{expected}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bounds::Bounds;
    use crate::i18n::check_message;

    #[test]
    fn the_net_and_its_input() {
        check_message(&BookSection("6.6"), &["6.6"]);
        let fit = InputDoesNotFit {
            side: "11".into(),
            net: "LeNet".into(),
        };
        check_message(&fit, &["11×11", "LeNet"]);
        assert_eq!(fit.say(Lang::En), "A 11×11 input does not fit LeNet: ");
    }

    #[test]
    fn a_field_out_of_bounds_names_the_field_and_its_bounds() {
        let problem = FieldProblem {
            field: FormField::LearningRate,
            error: Bounds::new(1e-6, 10.0).parse("11").unwrap_err(),
        };
        check_message(&problem, &["0.000001", "10"]);
        assert_eq!(
            problem.say(Lang::En),
            "learning rate: a number from 0.000001 to 10"
        );
        assert_eq!(problem.say(Lang::Zh), "学习率：应为0.000001 到 10 之间的数");
        let batch = FieldProblem {
            field: FormField::BatchSize,
            error: Bounds::new(1usize, 4096).parse("x").unwrap_err(),
        };
        check_message(&batch, &["1", "4096"]);
    }
}
