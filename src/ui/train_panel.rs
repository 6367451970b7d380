//! The training panel: the settings, Train, Pause and Stop, and what the
//! run shows as it goes.

use leptos::prelude::*;

use crate::i18n::Say;
use crate::i18n::page_own::TrainOn;
use crate::i18n::page_train::{EpochDone, FieldProblem, FormField, TrainText};
use crate::training::OptimizerKind;
use crate::ui::ClientHandle;
use crate::ui::chart::Chart;
use crate::ui::client::Client;
use crate::ui::confusion::ConfusionMatrix;
use crate::ui::copy::CopyButton;
use crate::ui::field::Field;
use crate::ui::gradients::GradientFlow;
use crate::ui::lang::{lang, tr};
use crate::ui::own_data::OwnData;
use crate::ui::run::{Phase, Run};
use crate::ui::setups::{QuickOffer, Setups, estimate};
use crate::ui::state::Settings;
use crate::ui::status::{EpochLines, Status};
use crate::ui::weights_bar::{DataFiles, WeightsBar};
use crate::web::webgpu::BackendChoice;

#[component]
pub fn TrainPanel(hidden: Vec<String>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let running = Signal::derive(move || run.busy());
    let lang = lang();
    let config = Memo::new(move |_| settings.train_config());
    // A field's problem, in the reader's language.
    let field_error = move |signal: RwSignal<String>, parse: fn(&str) -> Option<FieldProblem>| {
        Signal::derive(move || parse(&signal.get()).map(|problem| problem.say(lang.get())))
    };
    use crate::ui::state::{BATCH, EPOCHS, LR, TEST_EXAMPLES, TRAIN_EXAMPLES, parse};
    let lr_error = field_error(settings.lr, |t| parse(t, LR, FormField::LearningRate).err());
    let batch_error = field_error(settings.batch, |t| parse(t, BATCH, FormField::BatchSize).err());
    let epochs_error = field_error(settings.epochs, |t| parse(t, EPOCHS, FormField::Epochs).err());
    let train_error = field_error(settings.train_limit, |t| {
        parse(t, TRAIN_EXAMPLES, FormField::TrainImages).err()
    });
    let test_error = field_error(settings.test_limit, |t| {
        parse(t, TEST_EXAMPLES, FormField::TestImages).err()
    });
    // While the user reads, the worker gets the form's net ready: on WebGPU
    // its kernels compile (not after Train is pressed), and on either
    // backend a short step measures the speed the estimate uses. The worker
    // skips this during a run.
    Effect::new(move |_| {
        if let (Ok(config), Some(_)) = (config.get(), run.backend.get())
            && !run.phase.get_untracked().is_running()
        {
            client.with_value(|client| client.prepare(config));
        }
    });
    // A batch too big for the GPU's buffers or the tab's CPU memory is
    // refused before training.
    let fits = Memo::new(move |_| match (config.get(), run.backend.get()) {
        (Ok(config), Some(backend)) => backend.check_fits(&config).err(),
        _ => None,
    });
    // Before a run, the axis spans the epochs the form asks for.
    let chart_epochs = Signal::derive(move || match run.epochs.get() {
        0 => parse(&settings.epochs.get(), EPOCHS, FormField::Epochs).unwrap_or(1),
        epochs => epochs,
    });
    let show = |control: &str| !hidden.iter().any(|h| h == control);
    let (show_lr, show_batch, show_epochs, show_optimizer, show_subset, show_backend, show_files) = (
        show("lr"),
        show("batch"),
        show("epochs"),
        show("optimizer"),
        show("subset"),
        show("backend"),
        show("files"),
    );
    let on_train = move |_| {
        if let Ok(config) = config.get_untracked() {
            client.with_value(|client| client.train(config));
        }
    };
    let on_pause = move |_| match run.phase.get_untracked() {
        Phase::Paused => client.with_value(Client::resume),
        _ => client.with_value(Client::pause),
    };
    let on_stop = move |_| client.with_value(Client::stop);
    let on_backend = move |ev| {
        if let Some(choice) = BackendChoice::from_id(&event_target_value(&ev)) {
            client.with_value(|client| client.set_backend(choice));
        }
    };
    let on_optimizer = move |ev| {
        if let Some(kind) = OptimizerKind::from_id(&event_target_value(&ev)) {
            settings.optimizer.set(kind);
            settings
                .lr
                .set(kind.default_lr(settings.arch.get_untracked()).to_string());
        }
    };
    view! {
        <section class="train panel" id="training" aria-label=tr(TrainText::TrainingSection)>
            <h2>{move || match run.own_data.get() {
                Some(about) => TrainOn { data: about.name }.say(lang.get()),
                None => TrainText::TrainHeading.say(lang.get()),
            }}</h2>
            <Setups config=config />
            <form class="train-form" on:submit=|ev| ev.prevent_default()>
                {show_lr.then(|| view! { <Field label=tr(FormField::LearningRate) name="lr" value=settings.lr error=lr_error disabled=running inputmode="decimal" /> })}
                {show_batch.then(|| view! { <Field label=tr(FormField::BatchSize) name="batch" value=settings.batch error=batch_error disabled=running /> })}
                {show_epochs.then(|| view! { <Field label=tr(FormField::Epochs) name="epochs" value=settings.epochs error=epochs_error disabled=running /> })}
                {show_optimizer.then(|| view! {
                    <label class="field">
                        <span class="field-label">{tr(TrainText::OptimizerLabel)}</span>
                        <select name="optimizer" on:change=on_optimizer disabled=move || running.get()>
                            {OptimizerKind::ALL.into_iter().map(|kind| view! {
                                <option value=kind.id() selected=move || settings.optimizer.get() == kind>
                                    {tr(match kind {
                                        OptimizerKind::Sgd => TrainText::OptimizerSgd,
                                        OptimizerKind::Momentum => TrainText::OptimizerMomentum,
                                        OptimizerKind::Adam => TrainText::OptimizerAdam,
                                    })}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {show_subset.then(|| view! {
                    <Field label=tr(FormField::TrainImages) name="train" value=settings.train_limit error=train_error disabled=running />
                    <Field label=tr(FormField::TestImages) name="test" value=settings.test_limit error=test_error disabled=running />
                })}
                {show_backend.then(|| view! {
                    <label class="field">
                        <span class="field-label">{tr(TrainText::BackendLabel)}</span>
                        <select name="backend" on:change=on_backend disabled=move || running.get()>
                            {BackendChoice::ALL.into_iter().map(|choice| view! {
                                <option value=choice.id() selected=move || settings.backend.get() == choice>
                                    {tr(match choice {
                                        BackendChoice::Auto => TrainText::BackendAuto,
                                        BackendChoice::WebGpu => TrainText::BackendWebGpu,
                                        BackendChoice::Cpu => TrainText::BackendCpu,
                                    })}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label class="field flag" title=tr(TrainText::GradientViewTitle)>
                    <input
                        type="checkbox"
                        name="grad-norms"
                        prop:checked=move || settings.grad_norms.get()
                        disabled=move || running.get()
                        on:change=move |ev| settings.grad_norms.set(event_target_checked(&ev))
                    />
                    <span class="field-label">{tr(TrainText::GradientViewLabel)}</span>
                </label>
            </form>
            {move || config.get().err().map(|problems| view! {
                <ul class="form-problems">{problems.into_iter().map(|p| view! { <li>{move || p.say(lang.get())}</li> }).collect_view()}</ul>
            })}
            {move || fits.get().map(|problem| view! { <p class="form-problems" role="alert">{crate::ui::lang::say(problem)}</p> })}
            <div class="buttons">
                <button
                    class="primary"
                    name="train"
                    on:click=on_train
                    disabled=move || running.get() || config.get().is_err() || fits.get().is_some()
                >
                    {tr(TrainText::Train)}
                </button>
                <button name="pause" on:click=on_pause disabled=move || !matches!(run.phase.get(), Phase::Training | Phase::Paused | Phase::Evaluating | Phase::Preparing)>
                    {move || lang.get().t(if run.phase.get() == Phase::Paused { TrainText::Resume } else { TrainText::Pause })}
                </button>
                <button name="stop" on:click=on_stop disabled=move || !running.get()>
                    {tr(TrainText::Stop)}
                </button>
                <ShareButton />
            </div>
            {move || estimate(run, config.get().ok()).map(|estimate| view! {
                <p class="estimate">{estimate.say(lang.get())}</p>
                {estimate.long_for_tab().then(|| view! { <QuickOffer /> })}
            })}
            // The worker's wasm is the big download: Train works before it
            // is up, and the run starts when it is.
            {move || (run.backend.get().is_none() && !running.get()).then(|| view! {
                <p class="waiting">{tr(TrainText::WorkerStarting)}</p>
            })}
            <Status />
            <EpochAnnouncer />
            <WeightsBar config=config />
            {show_files.then(|| view! { <DataFiles /> <OwnData /> })}
            <Chart points=run.points history=run.history epochs=chart_epochs />
            <GradientFlow />
            <EpochLines />
            <ConfusionMatrix />
        </section>
    }
}

/// Each epoch's result, said to a screen reader as it comes (a polite live
/// region, always in the page so that what enters it is announced): the
/// book's line, after which epoch of how many.
#[component]
fn EpochAnnouncer() -> impl IntoView {
    let run = expect_context::<Run>();
    let lang = lang();
    let said = move || {
        let epoch = run
            .history
            .with(|history| history.last().map(|report| report.epoch))?;
        let line = run.book_line()?;
        let epochs = run.epochs.get();
        Some(EpochDone { epoch, epochs, line }.say(lang.get()))
    };
    view! { <p class="visually-hidden epoch-announcer" role="status" aria-live="polite">{said}</p> }
}

/// Copies the link to this exact setup.
#[component]
fn ShareButton() -> impl IntoView {
    view! {
        <CopyButton
            text=Callback::new(|()| crate::ui::url::share_url())
            label=tr(TrainText::Share)
            done=tr(TrainText::ShareDone)
            blocked=tr(TrainText::ShareBlocked)
            name="share"
            title=tr(TrainText::ShareTitle)
        />
    }
}
