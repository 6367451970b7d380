//! The page: pick a net, see its table, train it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::arch::Arch;
use crate::format::bytes;
use crate::link::Link;
use crate::training::{Confusion, OptimizerKind, TrainConfig};
use crate::ui::chart::Chart;
use crate::ui::client::Client;
use crate::ui::copy::CopyButton;
use crate::ui::editor::NetEditor;
use crate::ui::gradients::GradientFlow;

/// How views reach the worker client.
type ClientHandle = StoredValue<Client, LocalStorage>;
use crate::ui::history::{History, RunHistory};
use crate::ui::inside::InsidePanel;
use crate::ui::inside_state::Inside;
use crate::ui::state::{Phase, Run, Settings, Setup, TableProblem};
use crate::ui::table::LayerTable;
use crate::web::webgpu::{Backend, BackendChoice};

/// The whole playground; `link` is what the page's URL asked for.
#[component]
pub fn App(link: Link) -> impl IntoView {
    let settings = Settings::new(link.arch.unwrap_or(Arch::LeNet));
    apply_link(&settings, &link);
    let run = Run::new();
    let inside = Inside::new();
    let history = History::new();
    let client = Client::new(run, inside, history, settings);
    provide_context(history);
    provide_context(settings);
    provide_context(run);
    provide_context(inside);
    // The client holds the worker, a JavaScript object: it stays on this
    // thread, and views reach it through a (Send) handle.
    let client = StoredValue::new_local(client);
    provide_context(client);
    let embed = link.embed;
    let hide = link.hide.clone();
    let notices = link.notices.clone();
    crate::ui::url::keep_url_in_step(settings, link.clone());
    if embed {
        crate::ui::url::report_height_to_parent();
    }
    if let Some(path) = link.weights.clone() {
        let run_config = settings.train_config();
        leptos::task::spawn_local(async move {
            load_weights_from(client, run, &path, run_config).await;
        });
    }
    if link.autostart {
        // A small subset, unless the link says how many.
        if link.train.is_none() {
            settings.train_limit.set("2000".to_string());
        }
        if link.test.is_none() {
            settings.test_limit.set("500".to_string());
        }
        if let Ok(config) = settings.train_config() {
            client.with_value(|client| client.train(config));
        }
    }
    let hidden = move |control: &str| hide.iter().any(|h| h == control);
    let show_picker = !hidden("arch");
    view! {
        <div class="app" class:embed=embed>
            {(!embed).then(|| view! { <Header /> })}
            {(!notices.is_empty()).then(|| view! { <Notices notices=notices.clone() /> })}
            {embed.then(|| view! { <EmbedBar /> })}
            <main class="layout" class:with-picker=show_picker>
                {show_picker.then(|| view! { <NetPicker /> })}
                <NetPanel hidden=link.hide.clone() />
                <TrainPanel hidden=link.hide.clone() />
            </main>
            {(!embed).then(|| view! { <RunHistory /> })}
            {(!embed).then(|| view! { <Footer /> })}
        </div>
    }
}

fn apply_link(settings: &Settings, link: &Link) {
    let arch = settings.arch.get_untracked();
    match link.quick {
        true => settings.use_quick(arch),
        false => settings.reset_to_book(arch),
    }
    if let Some(optimizer) = link
        .optimizer
        .filter(|&kind| kind != settings.optimizer.get_untracked())
    {
        settings.optimizer.set(optimizer);
        settings.lr.set(optimizer.default_lr(arch).to_string());
    }
    let set = |signal: RwSignal<String>, value: Option<String>| {
        if let Some(value) = value {
            signal.set(value);
        }
    };
    set(settings.resize, link.resize.map(|n| n.to_string()));
    if let Some(net) = &link.net {
        settings.set_net(net);
    }
    set(settings.lr, link.lr.map(|x| x.to_string()));
    set(settings.batch, link.batch.map(|n| n.to_string()));
    set(settings.epochs, link.epochs.map(|n| n.to_string()));
    set(settings.train_limit, link.train.map(|n| n.to_string()));
    set(settings.test_limit, link.test.map(|n| n.to_string()));
    settings.backend.set(link.backend);
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div>
                <h1>"CNN playground"</h1>
                <p class="tagline">
                    "The classic convolutional nets of "
                    <a href="https://d2l.ai" target="_blank" rel="noopener">"Dive into Deep Learning"</a>
                    ": see every layer's shape, then train the net on Fashion-MNIST right here in the tab."
                </p>
            </div>
            <BackendBadge />
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="foot">
            "Built with Rust, Burn and Leptos. Fashion-MNIST © 2017 Zalando SE (MIT). "
            <a href="www/embed.html">"Embed it in course notes"</a>
        </footer>
    }
}

#[component]
fn EmbedBar() -> impl IntoView {
    let full = move || {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| Link::parse(&q))
            .map(|mut link| {
                link.embed = false;
                link.hide.clear();
                link.autostart = false;
                link.to_query()
            })
            .unwrap_or_default();
        format!("./{query}")
    };
    view! {
        <div class="embed-bar">
            <BackendBadge />
            <a class="open-full" href=full target="_blank" rel="noopener">"open full playground ↗"</a>
        </div>
    }
}

#[component]
fn Notices(notices: Vec<String>) -> impl IntoView {
    let open = RwSignal::new(true);
    view! {
        <Show when=move || open.get()>
            <div class="notice" role="status">
                <strong>"Some link settings were ignored: "</strong>
                <ul>{notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
                <button class="dismiss" on:click=move |_| open.set(false) aria-label="dismiss">"×"</button>
            </div>
        </Show>
    }
}

/// "WebGPU — adapter" or "CPU, 2 threads — WebGPU unavailable: reason".
#[component]
fn BackendBadge() -> impl IntoView {
    let run = expect_context::<Run>();
    let text = move || match run.backend.get() {
        Some(backend) => backend.badge(),
        None => "checking for WebGPU…".to_string(),
    };
    let class = move || match run.backend.get() {
        Some(Backend::WebGpu(_)) => "badge webgpu",
        Some(_) => "badge cpu",
        None => "badge pending",
    };
    view! {
        <div class="badge-wrap">
            <span
                class=class
                data-backend=move || run.backend.get().map(|b| b.short_name()).unwrap_or("")
                data-threads=move || match run.backend.get() {
                    Some(Backend::Cpu { threads, .. }) => threads.to_string(),
                    _ => String::new(),
                }
            >
                {text}
            </span>
            {move || run.backend_note.get().map(|note| view! { <span class="badge-note">{note}</span> })}
            {move || run.backend.get().and_then(|b| b.threads_note()).map(|note| view! {
                <span class="badge-note threads-note">{note}</span>
            })}
            {move || matches!(run.backend.get(), Some(Backend::WebGpu(adapter)) if adapter.is_software).then(|| view! {
                <span class="badge-note">"a software renderer: the CPU backend is faster here (backend: auto or CPU)"</span>
            })}
        </div>
    }
}

#[component]
fn NetPicker() -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    view! {
        <nav class="picker" aria-label="nets">
            {Arch::ALL
                .into_iter()
                .map(|arch| {
                    view! {
                        <button
                            class="net-card"
                            class:selected=move || settings.arch.get() == arch
                            data-arch=arch.id()
                            disabled=move || run.phase.get().is_running()
                            on:click=move |_| settings.reset_to_book(arch)
                        >
                            <span class="net-title">{arch.title()}</span>
                            <span class="net-summary">{arch.summary()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A labelled text field bound to `value`, with its validation message.
#[component]
fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] disabled: Option<Signal<bool>>,
    #[prop(default = "numeric")] inputmode: &'static str,
) -> impl IntoView {
    let disabled = disabled.unwrap_or_else(|| Signal::derive(|| false));
    view! {
        <label class="field" class:invalid=move || error.get().is_some()>
            <span class="field-label">{label}</span>
            <input
                name=name
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                disabled=move || disabled.get()
                aria-invalid=move || error.get().is_some().to_string()
            />
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </label>
    }
}

#[component]
fn NetPanel(hidden: Vec<String>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let table = Memo::new(move |_| settings.table());
    let table_ok = Memo::new(move |_| table.get().ok());
    let batch =
        Memo::new(move |_| crate::ui::state::parse(&settings.batch.get(), crate::ui::state::BATCH, "").ok());
    let arch = settings.arch;
    let running = Signal::derive(move || run.phase.get().is_running());
    let resize_error = Signal::derive(move || {
        crate::ui::state::parse(&settings.resize.get(), crate::ui::state::RESIZE, "input size").err()
    });
    let show = |control: &str| !hidden.iter().any(|h| h == control);
    let show_resize = show("resize");
    let show_editor = show("editor");
    // The net's name as edited: VGG-16, ResNet-34, "LeNet (edited)".
    let title = move || {
        settings
            .net()
            .map_or_else(|_| arch.get().title().to_string(), |net| net.title())
    };
    view! {
        <section class="net panel" aria-labelledby="net-title">
            <div class="net-head">
                <h2 id="net-title">
                    {title}
                    <small class="section">{move || format!("d2l §{}", arch.get().book_section())}</small>
                </h2>
                <p class="net-blurb">{move || arch.get().summary()}</p>
                {move || changed_from_book(&settings).map(|changes| view! {
                    <p class="net-changes">"Changed from the book's: " {changes}</p>
                })}
            </div>
            <div class="net-controls">
                {show_resize.then(|| view! {
                    <Field label="input size (px)" name="resize" value=settings.resize error=resize_error disabled=running />
                })}
            </div>
            {show_editor.then(|| view! { <NetEditor hidden=hidden.clone() /> })}
            {move || match table.get() {
                Ok(table) => view! { <LayerTable table=table batch=batch.get() /> }.into_any(),
                Err(TableProblem::Shape(e)) => view! {
                    <div class="table-error" role="alert">
                        <strong>{format!("A {}×{} input does not fit {}: ", settings.resize.get(), settings.resize.get(), title())}</strong>
                        <span class="where">{e.layer.clone()}</span>
                        ": " {e.reason.clone()}
                    </div>
                }.into_any(),
                Err(TableProblem::Setting(e)) => view! { <div class="table-error" role="alert">{e}</div> }.into_any(),
            }}
            <InsidePanel table=table_ok />
        </section>
    }
}

/// What the form's net changes from the book's ("activation sigmoid →
/// relu; pooling avg → max"): the blurb above describes the book's.
fn changed_from_book(settings: &Settings) -> Option<String> {
    let changes = crate::arch::edit::changes(&settings.net().ok()?);
    (!changes.is_empty()).then(|| {
        changes
            .iter()
            .map(|(field, book)| format!("{} {book} → {}", field.label, field.value))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

#[component]
fn TrainPanel(hidden: Vec<String>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let running = Signal::derive(move || run.phase.get().is_running());
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
            {move || fits.get().map(|problem| view! { <p class="form-problems" role="alert">{problem}</p> })}
            <div class="buttons">
                <button
                    class="primary"
                    name="train"
                    on:click=on_train
                    disabled=move || running.get() || config.get().is_err() || fits.get().is_some() || run.backend.get().is_none()
                >
                    "Train"
                </button>
                <button name="pause" on:click=on_pause disabled=move || !matches!(run.phase.get(), Phase::Training | Phase::Paused | Phase::Evaluating | Phase::Preparing)>
                    {move || if run.phase.get() == Phase::Paused { "Resume" } else { "Pause" }}
                </button>
                <button name="stop" on:click=on_stop disabled=move || !running.get() || run.phase.get() == Phase::Loading>
                    "Stop"
                </button>
                <ShareButton />
            </div>
            {move || estimate(run, config.get().ok()).map(|estimate| view! {
                <p class="estimate">{estimate.text}</p>
                {estimate.long_for_tab.then(|| view! { <QuickOffer /> })}
            })}
            // Why Train is greyed out before the worker has answered (its wasm
            // is the big download).
            {move || (run.backend.get().is_none() && !running.get()).then(|| view! {
                <p class="waiting">"Waiting for the training worker to start…"</p>
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

/// What the run is doing now.
#[component]
fn Status() -> impl IntoView {
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let progress_bar = move |done: f64, total: f64, label: String| {
        let percent = if total > 0.0 {
            (done / total * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        };
        view! {
            <div class="progress" role="progressbar" aria-valuenow=format!("{percent:.0}") aria-valuemin="0" aria-valuemax="100">
                <div class="bar" style=format!("width: {percent:.1}%")></div>
                <span class="progress-label">{label}</span>
            </div>
        }
    };
    view! {
        <div class="status" aria-live="polite" data-worker-memory=move || run.worker_memory.get().map(|b| b.to_string())>
            {move || run.download.get().map(|(file, loaded, total)| {
                let label = match total {
                    Some(total) => format!("downloading {file}: {} of {}", bytes(loaded), bytes(total)),
                    None => format!("downloading {file}: {}", bytes(loaded)),
                };
                progress_bar(loaded as f64, total.unwrap_or(0) as f64, label)
            })}
            {move || run.data_error.get().map(|message| {
                view! {
                    <div class="error" role="alert">
                        <p>{format!("The data could not be loaded: {message}")}</p>
                        <button name="retry" on:click=move |_| client.with_value(Client::retry_data)>"Retry"</button>
                        " or pick the four files below."
                    </div>
                }
            })}
            {move || match run.phase.get() {
                Phase::Idle => view! { <p class="phase">{run.data_ready.get().unwrap_or_else(|| "Ready when you are.".to_string())}</p> }.into_any(),
                Phase::Loading => view! { <p class="phase">"Loading Fashion-MNIST…"</p> }.into_any(),
                Phase::Preparing => {
                    let what = match run.backend.get() {
                        Some(Backend::WebGpu(_)) if run.calibration.get().and_then(|c| c.kernels_s).is_none() => "Preparing kernels: the first step compiles the GPU shaders…",
                        Some(Backend::WebGpu(_)) => "Starting: the first batch on the GPU…",
                        _ => "Starting: the first batch on the CPU…",
                    };
                    view! { <p class="phase preparing">{what}</p> }.into_any()
                }
                Phase::Training | Phase::Paused | Phase::Evaluating => {
                    let (epoch, batch, batches) = run.progress.get();
                    let what = match run.phase.get() {
                        Phase::Paused => "paused".to_string(),
                        Phase::Evaluating => "evaluating on the test set".to_string(),
                        _ => run.examples_per_s.get().map(|x| format!("{x:.1} examples/sec")).unwrap_or_default(),
                    };
                    let label = format!("epoch {epoch} of {}: batch {batch} of {batches} · {what}", run.epochs.get());
                    progress_bar(batch as f64, batches as f64, label).into_any()
                }
                Phase::Done(message) => view! {
                    <p class="phase done">{message.unwrap_or_else(|| "Done.".to_string())}</p>
                }.into_any(),
                Phase::Failed(message) => view! { <p class="phase failed" role="alert">{message}</p> }.into_any(),
            }}
            {move || run.calibration.get().and_then(|c| c.kernels_s).filter(|_| !run.phase.get().is_running()).map(|s| view! {
                <p class="kernels-ready">{format!("GPU kernels for this net compiled in advance ({s:.1} s): training starts without that wait.")}</p>
            })}
            // The first step's wait: shader compilation on WebGPU; on the CPU
            // nothing compiles, so it is only the first step.
            {move || run.prepare_ms.get().map(|ms| {
                let text = match run.backend.get() {
                    Some(Backend::WebGpu(_)) => format!("kernels ready in {:.1} s", ms / 1000.0),
                    _ => format!("first step in {:.1} s", ms / 1000.0),
                };
                view! { <p class="prepared">{text}</p> }
            })}
            {move || run.book_line().map(|line| view! { <p class="book-line">{line}</p> })}
        </div>
    }
}

/// One book line per finished epoch.
#[component]
fn EpochLines() -> impl IntoView {
    let run = expect_context::<Run>();
    view! {
        <details class="epochs" open=move || !run.history.get().is_empty()>
            <summary>"epochs"</summary>
            <ol>
                {move || run.history.get().into_iter().map(|r| {
                    // The worker's memory after the epoch: for the curious
                    // (a tooltip) and the long-run tests.
                    let memory = run.epoch_memory.with(|m| m.iter().find(|m| m.epoch == r.epoch).copied());
                    let title = memory.map(|m| {
                        let gpu = m.device_bytes.map(|d| format!("; on the GPU: {}", bytes(d))).unwrap_or_default();
                        format!("worker memory after this epoch: {}{gpu}", bytes(m.wasm_bytes))
                    });
                    view! {
                        <li
                            data-worker-memory=memory.map(|m| m.wasm_bytes.to_string())
                            data-device-memory=memory.and_then(|m| m.device_bytes).map(|b| b.to_string())
                            title=title
                        >
                            {r.book_line()}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}

/// The last evaluation's confusion matrix: a row per true class, a column
/// per predicted class, each cell shaded by its share of the row (right
/// answers green, wrong ones red), each class's accuracy at the end of its
/// row, and the total that is the test accuracy.
#[component]
fn ConfusionMatrix() -> impl IntoView {
    use crate::data::CLASS_NAMES;
    let run = expect_context::<Run>();
    let last = move || {
        run.history
            .get()
            .last()
            .filter(|report| report.confusion.total() > 0)
            .map(|report| (report.epoch, report.confusion.clone()))
    };
    move || {
        last().map(|(epoch, confusion)| {
            let header = CLASS_NAMES
                .iter()
                .map(|name| view! { <th scope="col" class="predicted">{*name}</th> })
                .collect_view();
            let rows = (0..confusion.counts.len())
                .map(|class| confusion_row(&confusion, class))
                .collect_view();
            let summary = format!(
                "{} of {} test images right after epoch {epoch}: test acc {:.3}",
                confusion.correct(),
                confusion.total(),
                confusion.accuracy()
            );
            view! {
                <details class="confusion" open data-correct=confusion.correct() data-total=confusion.total()>
                    <summary>"confusion matrix"</summary>
                    <div class="confusion-scroll">
                        <table>
                            <caption>"true class (rows) by predicted class (columns)"</caption>
                            <thead>
                                <tr><th></th>{header}<th scope="col">"class acc"</th></tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p class="confusion-total">{summary}</p>
                </details>
            }
        })
    }
}

/// One true class's row of the confusion matrix: its name, a cell per
/// predicted class shaded by its share of the row, and its accuracy.
fn confusion_row(confusion: &Confusion, class: usize) -> impl IntoView + use<> {
    use crate::data::CLASS_NAMES;
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
            let title = format!(
                "{count} {} images classified as {}: click to see them",
                CLASS_NAMES[class], CLASS_NAMES[predicted]
            );
            // A click shows the cell's images in the gallery.
            let show = move |_| {
                if let Some(inside) = inside {
                    inside.cell.set(Some((class, predicted)));
                    inside.mistakes_only.set(false);
                    inside.gallery_start.set(0);
                    inside.active.set(true);
                }
            };
            view! {
                <td class=kind style=format!("--share: {share:.3}") title=title data-cell=format!("{class}-{predicted}") on:click=show>
                    {count}
                </td>
            }
        })
        .collect_view();
    let accuracy = confusion
        .class_accuracy(class)
        .map_or("–".to_string(), |a| format!("{a:.2}"));
    view! {
        <tr>
            <th scope="row">{CLASS_NAMES[class]}</th>
            {cells}
            <td class="class-accuracy">{accuracy}</td>
        </tr>
    }
}

/// Fetches the weights file at `path` (this site) and loads it for the
/// form's net; what fails is said beside the weights buttons.
async fn load_weights_from(
    client: ClientHandle,
    run: Run,
    path: &str,
    config: Result<TrainConfig, Vec<String>>,
) {
    let config = match config {
        Ok(config) => config,
        Err(problems) => return run.weights_problem.set(Some(problems.join("; "))),
    };
    run.weights_note.set(Some(format!("fetching {path}…")));
    match crate::ui::files::fetch_bytes(path).await {
        Ok(bytes) => {
            let name = path.rsplit('/').next().unwrap_or(path).to_string();
            client.with_value(|client| client.load_weights(name, bytes, &config));
        }
        Err(e) => {
            run.weights_note.set(None);
            run.weights_problem
                .set(Some(format!("the weights could not be loaded: {e}")));
        }
    }
}

/// Save the net's weights, load a file (ours or one saved from the book's
/// PyTorch net), start from the book's trained LeNet, and train on from
/// loaded weights.
#[component]
fn WeightsBar(config: Memo<Result<TrainConfig, Vec<String>>>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let client = expect_context::<ClientHandle>();
    let running = Signal::derive(move || run.phase.get().is_running());
    let on_save = move |_| client.with_value(Client::save_weights);
    let load_file = move |file: web_sys::File| {
        let Ok(config) = config.get_untracked() else {
            run.weights_problem.set(Some(
                "fix the settings first: the weights are for the net they describe".to_string(),
            ));
            return;
        };
        leptos::task::spawn_local(async move {
            let name = file.name();
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(bytes) => {
                    client.with_value(|client| client.load_weights(name, bytes.unchecked_into(), &config))
                }
                Err(e) => run
                    .weights_problem
                    .set(Some(format!("{name} could not be read: {e:?}"))),
            }
        });
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        load_file(file);
    };
    // A weights file dropped on the bar loads as a picked one does.
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            load_file(file);
        }
    };
    let book_trained = move || {
        let arch = settings.arch.get();
        matches!(arch, Arch::LeNet | Arch::BnLeNet).then(|| {
            let start = move |_| {
                let path = format!("assets/weights/{}.safetensors", arch.id());
                let config = config.get_untracked();
                leptos::task::spawn_local(async move { load_weights_from(client, run, &path, config).await });
            };
            view! {
                <button name="book-weights" on:click=start disabled=move || running.get()>
                    {format!("load the book's trained {}", arch.title())}
                </button>
            }
        })
    };
    view! {
        <div class="weights-bar" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <button name="save-weights" on:click=on_save title="the net's weights as a safetensors file PyTorch's load_state_dict reads">
                "Save weights"
            </button>
            <label class="button" class:disabled=move || running.get() title="a safetensors file: ours, or one saved from the book's PyTorch net (or drop it on this bar)">
                "Load weights…"
                <input type="file" name="load-weights" accept=".safetensors" on:change=on_pick disabled=move || running.get() />
            </label>
            {book_trained}
            {move || run.can_continue.get().then(|| view! {
                <label class="continue">
                    <input
                        type="checkbox"
                        name="from-weights"
                        prop:checked=move || run.from_weights.get()
                        on:change=move |ev| run.from_weights.set(event_target_checked(&ev))
                        disabled=move || running.get()
                    />
                    "Train on from these weights"
                </label>
            })}
        </div>
        {move || run.weights_note.get().map(|note| view! { <p class="weights-note">{note}</p> })}
        {move || run.weights_problem.get().map(|problem| view! { <p class="weights-problem" role="alert">{problem}</p> })}
    }
}

/// Fashion-MNIST from the user's disk instead of the server.
#[component]
fn DataFiles() -> impl IntoView {
    let client = expect_context::<ClientHandle>();
    let message = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        leptos::task::spawn_local(async move {
            match crate::ui::files::read_picked(files).await {
                Ok(buffers) => {
                    message.set(Some("using your files".to_string()));
                    client.with_value(|client| client.use_files(buffers));
                }
                Err(e) => message.set(Some(e)),
            }
        });
    };
    view! {
        <details class="files">
            <summary>"use Fashion-MNIST files from your disk"</summary>
            <p>"Pick the four " <code>".gz"</code> " files (train and t10k, images and labels)."</p>
            <input type="file" multiple accept=".gz" on:change=on_change />
            {move || message.get().map(|m| view! { <p class="files-message">{m}</p> })}
        </details>
    }
}

/// What the page says about a run's duration.
struct Estimate {
    text: String,
    /// An epoch would take longer than a student waits in a tab (15 min).
    long_for_tab: bool,
}

/// How long the form's run will take (from the worker's measurement on this
/// backend, before it starts) or how long is left (from the speed of the
/// last batches, while it runs).
fn estimate(run: Run, config: Option<TrainConfig>) -> Option<Estimate> {
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
fn Setups(config: Memo<Result<TrainConfig, Vec<String>>>) -> impl IntoView {
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
            disabled=move || run.phase.get().is_running()
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
fn QuickOffer() -> impl IntoView {
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
