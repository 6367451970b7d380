//! How long a run will take, and the two one-click setups: the book's
//! settings and the quick one.

use leptos::prelude::*;

use crate::i18n::Say;
use crate::i18n::page_train::{
    Estimate, QuickOffer as Offer, SetupNote, SetupOptimizer, SetupSummary, TrainText,
};
use crate::training::{OptimizerKind, TrainConfig};
use crate::ui::lang::{lang, tr};
use crate::ui::run::{Phase, Run};
use crate::ui::state::{FormProblem, Settings, Setup};

/// How long the form's run will take (from the worker's measurement on this
/// backend, before it starts) or how long is left (from the speed of the
/// last batches, while it runs).
pub fn estimate(run: Run, config: Option<TrainConfig>) -> Option<Estimate> {
    let config = config?;
    use crate::ui::state::{TEST_EXAMPLES, TRAIN_EXAMPLES};
    let train = config
        .train_limit
        .unwrap_or(TRAIN_EXAMPLES.max)
        .min(TRAIN_EXAMPLES.max);
    let test = config
        .test_limit
        .unwrap_or(TEST_EXAMPLES.max)
        .min(TEST_EXAMPLES.max);
    // Images of one's own are fewer than the limits allow.
    let (train, test) = match run.own_data.get() {
        Some(about) => (train.min(about.train_images()), test.min(about.test_images())),
        None => (train, test),
    };
    let phase = run.phase.get();
    if matches!(phase, Phase::Training | Phase::Paused | Phase::Evaluating) {
        let per_example = 1.0 / run.examples_per_s.get().filter(|x| *x > 0.0)?;
        let (epoch, batch, batches) = run.progress.get();
        let batches_left = batches.saturating_sub(batch) + run.epochs.get().saturating_sub(epoch) * batches;
        let examples_left = (batches_left * config.batch_size).min(train * run.epochs.get());
        let evaluations_left = run.epochs.get().saturating_sub(epoch) + 1;
        let left = per_example * (examples_left as f64 + (evaluations_left * test) as f64 / 3.0);
        return Some(Estimate::Left { seconds: left });
    }
    if phase.is_running() {
        return None;
    }
    let epoch_seconds = run.calibration.get()?.epoch_seconds(train, test);
    Some(Estimate::Run {
        backend: run.backend.get().map(|b| b.short_name()),
        epoch_seconds,
        train,
        test,
        epochs: config.epochs,
    })
}

/// The book's settings and the quick setting, one click each, with what the
/// chosen one is.
#[component]
pub fn Setups(config: Memo<Result<TrainConfig, Vec<FormProblem>>>) -> impl IntoView {
    let arch = expect_context::<Settings>().arch;
    let lang = lang();
    let chosen = Memo::new(move |_| {
        let config = config.get().ok()?;
        [Setup::Book, Setup::Quick]
            .into_iter()
            .find(|setup| setup.matches(&config))
    });
    // LeNet's quick setting is the book's: one button says it all.
    let quick_is_book = move || Setup::Book.matches(&Setup::Quick.config(arch.get()));
    let describe = move || {
        let arch = arch.get();
        let note = match chosen.get() {
            Some(Setup::Quick) if !quick_is_book() => SetupNote::Quick(summary(&Setup::Quick.config(arch))),
            Some(_) => SetupNote::Book {
                section: arch.book_section(),
                summary: summary(&Setup::Book.config(arch)),
            },
            None => SetupNote::Own,
        };
        note.say(lang.get())
    };
    view! {
        <div class="setups" role="group" aria-label=tr(TrainText::SetupsGroup)>
            <SetupButton setup=Setup::Book chosen=chosen label=TrainText::BookSetup />
            {move || (!quick_is_book()).then(|| view! {
                <SetupButton setup=Setup::Quick chosen=chosen label=TrainText::QuickSetup />
            })}
            <p class="setup-note">{describe}</p>
        </div>
    }
}

/// One of the two setups as a button that fills the form with it.
#[component]
fn SetupButton(setup: Setup, chosen: Memo<Option<Setup>>, label: TrainText) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let name = match setup {
        Setup::Book => "book-setup",
        Setup::Quick => "quick-setup",
    };
    view! {
        <button
            name=name
            class:chosen=move || chosen.get() == Some(setup)
            aria-pressed=move || (chosen.get() == Some(setup)).to_string()
            disabled=move || run.busy()
            on:click=move |_| settings.use_setup(setup, settings.arch.get_untracked())
        >
            {tr(label)}
        </button>
    }
}

/// A setup in a few words ("5000 training and 1000 test images at 32×32
/// px, batch 64, 3 epochs, learning rate 0.05").
fn summary(config: &TrainConfig) -> SetupSummary {
    SetupSummary {
        train: config.train_limit,
        test: config.test_limit,
        side: config.resize,
        batch: config.batch_size,
        epochs: config.epochs,
        lr: config.lr,
        optimizer: match config.optimizer {
            OptimizerKind::Sgd => SetupOptimizer::Sgd,
            OptimizerKind::Momentum => SetupOptimizer::Momentum,
            OptimizerKind::Adam => SetupOptimizer::Adam,
        },
    }
}

/// Where the form's run would take too long: the quick setting, offered.
#[component]
pub fn QuickOffer() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let lang = lang();
    let arch = settings.arch;
    let offer = move || Offer {
        net: arch.get().title().to_string(),
        summary: summary(&Setup::Quick.config(arch.get())),
    };
    view! {
        <p class="quick-offer" role="note">
            {move || offer().say(lang.get())}
            <button name="use-quick" on:click=move |_| settings.use_quick(arch.get_untracked())>
                {tr(TrainText::UseQuick)}
            </button>
        </p>
    }
}
