//! The training panel: the settings, Train, Pause and Stop, and what the
//! run shows as it goes.

use leptos::prelude::*;

use crate::training::OptimizerKind;
use crate::ui::ClientHandle;
use crate::ui::chart::Chart;
use crate::ui::client::Client;
use crate::ui::confusion::ConfusionMatrix;
use crate::ui::copy::CopyButton;
use crate::ui::field::Field;
use crate::ui::gradients::GradientFlow;
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
    let config = Memo::new(move |_| settings.train_config());
    let field_error = move |signal: RwSignal<String>, parse: fn(&str) -> Option<String>| {
        Signal::derive(move || parse(&signal.get()))
    };
    use crate::ui::state::{BATCH, EPOCHS, LR, TEST_EXAMPLES, TRAIN_EXAMPLES, parse};
    let lr_error = field_error(settings.lr, |t| parse(t, LR, "learning rate").err());
    let batch_error = field_error(settings.batch, |t| parse(t, BATCH, "batch size").err());
    let epochs_error = field_error(settings.epochs, |t| parse(t, EPOCHS, "epochs").err());
    let train_error = field_error(settings.train_limit, |t| {
        parse(t, TRAIN_EXAMPLES, "training examples").err()
    });
    let test_error = field_error(settings.test_limit, |t| {
        parse(t, TEST_EXAMPLES, "test examples").err()
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
        0 => parse(&settings.epochs.get(), EPOCHS, "").unwrap_or(1),
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
        <section class="train panel" aria-label="training">
            <h2>"Train on Fashion-MNIST"</h2>
            <Setups config=config />
            <form class="train-form" on:submit=|ev| ev.prevent_default()>
                {show_lr.then(|| view! { <Field label="learning rate" name="lr" value=settings.lr error=lr_error disabled=running inputmode="decimal" /> })}
                {show_batch.then(|| view! { <Field label="batch size" name="batch" value=settings.batch error=batch_error disabled=running /> })}
                {show_epochs.then(|| view! { <Field label="epochs" name="epochs" value=settings.epochs error=epochs_error disabled=running /> })}
                {show_optimizer.then(|| view! {
                    <label class="field">
                        <span class="field-label">"optimizer"</span>
                        <select name="optimizer" on:change=on_optimizer disabled=move || running.get()>
                            {OptimizerKind::ALL.into_iter().map(|kind| view! {
                                <option value=kind.id() selected=move || settings.optimizer.get() == kind>
                                    {match kind {
                                        OptimizerKind::Sgd => "SGD",
                                        OptimizerKind::Momentum => "momentum",
                                        OptimizerKind::Adam => "Adam",
                                    }}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {show_subset.then(|| view! {
                    <Field label="training images" name="train" value=settings.train_limit error=train_error disabled=running />
                    <Field label="test images" name="test" value=settings.test_limit error=test_error disabled=running />
                })}
                {show_backend.then(|| view! {
                    <label class="field">
                        <span class="field-label">"backend"</span>
                        <select name="backend" on:change=on_backend disabled=move || running.get()>
                            {BackendChoice::ALL.into_iter().map(|choice| view! {
                                <option value=choice.id() selected=move || settings.backend.get() == choice>
                                    {match choice {
                                        BackendChoice::Auto => "auto",
                                        BackendChoice::WebGpu => "WebGPU",
                                        BackendChoice::Cpu => "CPU",
                                    }}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label class="field flag" title="Measures each layer's weight gradient at every step for the gradient view; costs a few per cent of speed">
                    <input
                        type="checkbox"
                        name="grad-norms"
                        prop:checked=move || settings.grad_norms.get()
                        disabled=move || running.get()
                        on:change=move |ev| settings.grad_norms.set(event_target_checked(&ev))
                    />
                    <span class="field-label">"gradient view"</span>
                </label>
            </form>
            {move || config.get().err().map(|problems| view! {
                <ul class="form-problems">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            })}
            {move || fits.get().map(|problem| view! { <p class="form-problems" role="alert">{crate::ui::lang::say(problem)}</p> })}
            <div class="buttons">
                <button
                    class="primary"
                    name="train"
                    on:click=on_train
                    disabled=move || running.get() || config.get().is_err() || fits.get().is_some()
                >
                    "Train"
                </button>
                <button name="pause" on:click=on_pause disabled=move || !matches!(run.phase.get(), Phase::Training | Phase::Paused | Phase::Evaluating | Phase::Preparing)>
                    {move || if run.phase.get() == Phase::Paused { "Resume" } else { "Pause" }}
                </button>
                <button name="stop" on:click=on_stop disabled=move || !running.get()>
                    "Stop"
                </button>
                <ShareButton />
            </div>
            {move || estimate(run, config.get().ok()).map(|estimate| view! {
                <p class="estimate">{estimate.text}</p>
                {estimate.long_for_tab.then(|| view! { <QuickOffer /> })}
            })}
            // The worker's wasm is the big download: Train works before it
            // is up, and the run starts when it is.
            {move || (run.backend.get().is_none() && !running.get()).then(|| view! {
                <p class="waiting">"The training worker is starting; Train now and the run starts as soon as it is up."</p>
            })}
            <Status />
            <WeightsBar config=config />
            {show_files.then(|| view! { <DataFiles /> })}
            <Chart points=run.points history=run.history epochs=chart_epochs />
            <GradientFlow />
            <EpochLines />
            <ConfusionMatrix />
        </section>
    }
}

/// Copies the link to this exact setup.
#[component]
fn ShareButton() -> impl IntoView {
    view! {
        <CopyButton
            text=Callback::new(|()| crate::ui::url::share_url())
            label="Share"
            done="link copied"
            blocked="copy the address bar: the clipboard is blocked"
            name="share"
            title="copy a link to this setup"
        />
    }
}
