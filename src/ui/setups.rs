//! How long a run will take, and the two one-click setups: the book's
//! settings and the quick one.

use leptos::prelude::*;

use crate::training::{OptimizerKind, TrainConfig};
use crate::ui::run::{Phase, Run};
use crate::ui::state::{Settings, Setup};

/// What the page says about a run's duration.
pub struct Estimate {
    pub text: String,
    /// An epoch would take longer than a student waits in a tab (15 min).
    pub long_for_tab: bool,
}

/// How long the form's run will take (from the worker's measurement on this
/// backend, before it starts) or how long is left (from the speed of the
/// last batches, while it runs).
pub fn estimate(run: Run, config: Option<TrainConfig>) -> Option<Estimate> {
    use crate::format::duration;
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
    let phase = run.phase.get();
    if matches!(phase, Phase::Training | Phase::Paused | Phase::Evaluating) {
        let per_example = 1.0 / run.examples_per_s.get().filter(|x| *x > 0.0)?;
        let (epoch, batch, batches) = run.progress.get();
        let batches_left = batches.saturating_sub(batch) + run.epochs.get().saturating_sub(epoch) * batches;
        let examples_left = (batches_left * config.batch_size).min(train * run.epochs.get());
        let evaluations_left = run.epochs.get().saturating_sub(epoch) + 1;
        let left = per_example * (examples_left as f64 + (evaluations_left * test) as f64 / 3.0);
        return Some(Estimate {
            text: format!("About {} left at this speed.", duration(left)),
            long_for_tab: false,
        });
    }
    if phase.is_running() {
        return None;
    }
    let epoch = run.calibration.get()?.epoch_seconds(train, test);
    let backend = run.backend.get().map_or("this backend", |b| b.short_name());
    let mut text = format!(
        "Estimated on {backend}: about {} an epoch ({train} training and {test} test images), {} for {} epoch{}.",
        duration(epoch),
        duration(epoch * config.epochs as f64),
        config.epochs,
        if config.epochs == 1 { "" } else { "s" }
    );
    let long_for_tab = epoch > 15.0 * 60.0;
    if long_for_tab {
        text.push_str(" That is long for a tab.");
    }
    Some(Estimate { text, long_for_tab })
}

/// The book's settings and the quick setting, one click each, with what the
/// chosen one is.
#[component]
pub fn Setups(config: Memo<Result<TrainConfig, Vec<String>>>) -> impl IntoView {
    let arch = expect_context::<Settings>().arch;
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
        match chosen.get() {
            Some(Setup::Quick) if !quick_is_book() => format!(
                "Quick setting: {}, about two minutes an epoch on a laptop's CPU; the book's settings are one click away.",
                describe_setup(&Setup::Quick.config(arch))
            ),
            Some(_) => format!(
                "The book's settings (d2l §{}): {}.",
                arch.book_section(),
                describe_setup(&Setup::Book.config(arch))
            ),
            None => "Your own settings.".to_string(),
        }
    };
    view! {
        <div class="setups" role="group" aria-label="setups">
            <SetupButton setup=Setup::Book chosen=chosen label="the book's settings" />
            {move || (!quick_is_book()).then(|| view! {
                <SetupButton setup=Setup::Quick chosen=chosen label="quick setting" />
            })}
            <p class="setup-note">{describe}</p>
        </div>
    }
}

/// One of the two setups as a button that fills the form with it.
#[component]
fn SetupButton(setup: Setup, chosen: Memo<Option<Setup>>, label: &'static str) -> impl IntoView {
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
            {label}
        </button>
    }
}

/// "5000 training and 1000 test images at 32×32 px, batch 64, 3 epochs, learning rate 0.05".
fn describe_setup(config: &TrainConfig) -> String {
    let images = match (config.train_limit, config.test_limit) {
        (None, None) => "all 60000 training and 10000 test images".to_string(),
        (train, test) => format!(
            "{} training and {} test images",
            train.unwrap_or(60_000),
            test.unwrap_or(10_000)
        ),
    };
    let optimizer = match config.optimizer {
        OptimizerKind::Sgd => "",
        OptimizerKind::Momentum => " with momentum",
        OptimizerKind::Adam => " with Adam",
    };
    format!(
        "{images} at {side}×{side} px, batch {}, {} epochs, learning rate {}{optimizer}",
        config.batch_size,
        config.epochs,
        config.lr,
        side = config.resize
    )
}

/// Where the form's run would take too long: the quick setting, offered.
#[component]
pub fn QuickOffer() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let arch = settings.arch;
    let quick = move || Setup::Quick.config(arch.get());
    view! {
        <p class="quick-offer" role="note">
            {move || format!("The quick setting trains {} in minutes: {}. ", arch.get().title(), describe_setup(&quick()))}
            <button name="use-quick" on:click=move |_| settings.use_quick(arch.get_untracked())>
                "Use the quick setting"
            </button>
        </p>
    }
}
