//! A book's exercise answered by experiment: "compare" trains the book's
//! net, then the exercise's variant, with the form's settings (same seed,
//! data, epochs and learning rate), ticks both in the run history's
//! overlay, and says what the two runs show, with their numbers.
//!
//! It starts runs as the Train button does (`Client::train`) and follows
//! them through `Run`'s phase, which it never writes.

use leptos::prelude::*;

use crate::arch::NetConfig;
use crate::arch::edit::Preset;
use crate::i18n::page_inside::{CompareAnswer, CompareStage, ExerciseText};
use crate::training::TrainConfig;
use crate::ui::ClientHandle;
use crate::ui::history::History;
use crate::ui::lang::{say, tr};
use crate::ui::run::{Phase, Run};
use crate::ui::state::Settings;

/// Where the comparison of one exercise is.
#[derive(Clone, Debug, PartialEq)]
enum Comparison {
    /// A run of it is going: the book's net's, or the variant's (whose
    /// config waits meanwhile).
    Running {
        stage: CompareStage,
        variant: TrainConfig,
        /// The book's net's test accuracy, once its run ended.
        book_acc: Option<f64>,
        /// The two runs' ids in the history, as they start.
        runs: Vec<f64>,
    },
    Answered(CompareAnswer),
    Stopped,
}

/// The book's net with the variant's settings; at the book's own input
/// size when the variant's does not fit it (AlexNet at 28 px).
fn book_config(variant: &TrainConfig) -> TrainConfig {
    let arch = variant.net.arch();
    let mut book = variant.clone();
    // The book's net for the data held: its channels and classes.
    book.net = NetConfig::default_for(arch).with_io(variant.net.io());
    if book.shape_table(1).is_err() {
        book.resize = arch.book_settings().resize;
    }
    book
}

/// The "compare" button under an exercise's question, and what it found.
#[component]
pub fn ExerciseCompare(preset: Preset) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let history = expect_context::<History>();
    let client = expect_context::<ClientHandle>();
    let comparison = RwSignal::new(None::<Comparison>);
    let title = preset.title;
    let start = move |_| {
        let Ok(variant) = settings.train_config() else {
            return;
        };
        // Both from fresh weights, as the book trains them.
        run.from_weights.set(false);
        let book = book_config(&variant);
        comparison.set(Some(Comparison::Running {
            stage: CompareStage::Book,
            variant,
            book_acc: None,
            runs: vec![],
        }));
        client.with_value(|client| client.train(book));
    };
    // Each run's end moves the comparison on.
    Effect::new(move |_| {
        let phase = run.phase.get();
        let Some(Comparison::Running {
            stage,
            variant,
            book_acc,
            mut runs,
        }) = comparison.get_untracked()
        else {
            return;
        };
        if let Some(id) = history
            .runs
            .with_untracked(|all| all.last().map(|record| record.id))
            && !runs.contains(&id)
        {
            runs.push(id);
        }
        let test_acc = run
            .history
            .with_untracked(|epochs| epochs.last().map(|e| e.test_acc));
        let next = match (phase, stage, test_acc) {
            (Phase::Done(None), CompareStage::Book, Some(acc)) => {
                client.with_value(|client| client.train(variant.clone()));
                Comparison::Running {
                    stage: CompareStage::Variant,
                    variant,
                    book_acc: Some(acc),
                    runs,
                }
            }
            (Phase::Done(None), CompareStage::Variant, Some(variant_acc)) => {
                history.ticked.set(runs);
                Comparison::Answered(CompareAnswer {
                    variant: title,
                    variant_acc,
                    book_acc: book_acc.unwrap_or_default(),
                    epochs: variant.epochs,
                    lr: variant.lr,
                })
            }
            (Phase::Done(_) | Phase::Failed(_), _, _) => Comparison::Stopped,
            _ => Comparison::Running {
                stage,
                variant,
                book_acc,
                runs,
            },
        };
        comparison.set(Some(next));
    });
    let status = move || {
        Some(match comparison.get()? {
            Comparison::Running { stage, .. } => {
                view! { <p class="compare-status" role="status">{say(stage)}</p> }.into_any()
            }
            Comparison::Answered(answer) => {
                view! { <p class="compare-answer" role="status">{say(answer)}</p> }.into_any()
            }
            Comparison::Stopped => {
                view! { <p class="problem" role="alert">{tr(ExerciseText::Stopped)}</p> }.into_any()
            }
        })
    };
    view! {
        <div class="exercise-compare">
            <button type="button" name="compare-exercise" title=tr(ExerciseText::CompareHint)
                disabled=move || run.busy() on:click=start>
                {tr(ExerciseText::Compare)}
            </button>
            {status}
        </div>
    }
}
