//! The test set's confusion matrix as text (`train` and `eval` end with it).

use cnn_playground::training::Confusion;

/// The confusion matrix as text: a row per true class (named by
/// `classes`), a column per predicted one, and each class's accuracy.
pub fn confusion_table(confusion: &Confusion, classes: &[String]) -> String {
    let mut text = format!(
        "\ntest set, true class (rows) by predicted class (columns):\n{:>11}",
        ""
    );
    for name in classes {
        text += &format!(" {:>8.8}", name);
    }
    text += "  accuracy\n";
    for (class, row) in confusion.counts.iter().enumerate() {
        let name = classes.get(class).map_or("?", String::as_str);
        text += &format!("{name:>11.11}");
        for count in row {
            text += &format!(" {count:>8}");
        }
        let accuracy = confusion
            .class_accuracy(class)
            .map_or("-".to_string(), |a| format!("{a:.3}"));
        text += &format!("  {accuracy:>8}\n");
    }
    text + &format!(
        "{} of {} right: test acc {:.3}\n",
        confusion.correct(),
        confusion.total(),
        confusion.accuracy()
    )
}
