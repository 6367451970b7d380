//! The last evaluation's confusion matrix.

use leptos::prelude::*;

use crate::i18n::classes::class_name;
use crate::i18n::page_train::{ConfusionCell, ConfusionTotal, TrainText};
use crate::i18n::{Lang, Say};
use crate::training::Confusion;
use crate::ui::inside_state::Inside;
use crate::ui::lang::lang;
use crate::ui::run::Run;

/// The last evaluation's confusion matrix: a row per true class, a column
/// per predicted class, each cell shaded by its share of the row (right
/// answers green, wrong ones red), each class's accuracy at the end of its
/// row, and the total that is the test accuracy. Drawn in the reader's
/// language (the classes as d2l-zh names them), again on a switch.
#[component]
pub fn ConfusionMatrix() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = lang();
    let last = move || {
        run.history
            .get()
            .last()
            .filter(|report| report.confusion.total() > 0)
            .map(|report| (report.epoch, report.confusion.clone()))
    };
    move || {
        let lang = lang.get();
        last().map(|(epoch, confusion)| {
            let header = (0..confusion.counts.len())
                .map(|class| view! { <th scope="col" class="predicted">{class_name(class, lang)}</th> })
                .collect_view();
            let rows = (0..confusion.counts.len())
                .map(|class| confusion_row(&confusion, class, lang))
                .collect_view();
            let summary = ConfusionTotal {
                correct: confusion.correct().into(),
                total: confusion.total().into(),
                epoch,
                accuracy: confusion.accuracy(),
            }
            .say(lang);
            view! {
                <details class="confusion" open data-correct=confusion.correct() data-total=confusion.total()>
                    <summary>{lang.t(TrainText::ConfusionSummary)}</summary>
                    <div class="confusion-scroll">
                        <table>
                            <caption>{lang.t(TrainText::ConfusionCaption)}</caption>
                            <thead>
                                <tr><td></td>{header}<th scope="col">{lang.t(TrainText::ClassAcc)}</th></tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p class="confusion-total">{summary}</p>
                    <p class="confusion-key">{lang.t(TrainText::ConfusionKey)}</p>
                </details>
            }
        })
    }
}

/// One true class's row of the confusion matrix: its name, a cell per
/// predicted class shaded by its share of the row, and its accuracy.
fn confusion_row(confusion: &Confusion, class: usize, lang: Lang) -> impl IntoView + use<> {
    let inside = use_context::<Inside>();
    let row = &confusion.counts[class];
    let row_total: u32 = row.iter().sum();
    let cells = row
        .iter()
        .enumerate()
        .map(|(predicted, &count)| {
            let share = count as f64 / row_total.max(1) as f64;
            let kind = if predicted == class {
                "cell right"
            } else {
                "cell wrong"
            };
            let title = ConfusionCell {
                count,
                truth: class,
                predicted,
            }
            .say(lang);
            // A click shows the cell's images in the gallery.
            let show = move |_| {
                if let Some(inside) = inside {
                    inside.cell.set(Some((class, predicted)));
                    inside.mistakes_only.set(false);
                    inside.gallery_start.set(0);
                    inside.active.set(true);
                }
            };
            let name = title.clone();
            // A button, for a keyboard (its click reaches the cell); its
            // name says right or wrong in words, as the diagonal's bold does.
            view! {
                <td class=kind style=format!("--share: {share:.3}") title=title data-cell=format!("{class}-{predicted}") on:click=show>
                    <button type="button" aria-label=name>{count}</button>
                </td>
            }
        })
        .collect_view();
    let accuracy = confusion
        .class_accuracy(class)
        .map_or("–".to_string(), |a| lang.number(a, 2));
    view! {
        <tr>
            <th scope="row">{class_name(class, lang)}</th>
            {cells}
            <td class="class-accuracy">{accuracy}</td>
        </tr>
    }
}
