//! Every run, kept in the browser (IndexedDB, `web::idb`) and listed after
//! a reload: its settings, backend, epochs and curve; several ticked
//! together draw on one chart (the book's point that batch norm converges
//! faster needs two curves side by side). Where storage fails, the page
//! says so and works on without history.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::own::OwnAbout;
use crate::device::BackendLabel;
use crate::i18n::page_inside::{HistoryText, RunSettings, Started, StorageRefused};
use crate::i18n::page_own::RunData;
use crate::i18n::{Catalogue, Lang, Say};
use crate::training::{EpochReport, TrainConfig};
use crate::ui::lang::{lang, say, tr};
use crate::ui::run::Run;
use crate::ui::state::Settings;
use crate::web::idb::Database;

mod compare;
use compare::CompareChart;

/// One run as kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// When it started (ms since 1970): its key.
    pub id: f64,
    pub name: String,
    pub config: TrainConfig,
    pub backend: RecordedBackend,
    pub epochs: Vec<EpochReport>,
    /// The live plot: `[x in epochs, loss, train acc]`.
    pub points: Vec<[f64; 3]>,
    /// How it ended: `RUNNING`, "finished", "stopped …", "failed: …".
    pub ending: String,
    pub seconds: f64,
    /// The images of one's own it trained on (`None`: Fashion-MNIST): what
    /// they were, not the images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<OwnAbout>,
}

/// The backend a run used: as recorded now, or (a run recorded by an
/// older page) as it was written then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RecordedBackend {
    Label(BackendLabel),
    Text(String),
}

impl Say for RecordedBackend {
    fn say(&self, lang: Lang) -> String {
        match self {
            RecordedBackend::Label(label) => label.say(lang),
            RecordedBackend::Text(text) => text.clone(),
        }
    }
}

/// The ending of a run still going.
pub const RUNNING: &str = "running";
/// What a stored run still `RUNNING` shows when a page opens: the page
/// that ran it was closed or reloaded mid-run (or runs it in another tab).
pub const INTERRUPTED: &str = "interrupted: its page was closed or reloaded";

/// How a run ended, in the reader's language where the history keeps a
/// plain case (finished, running, interrupted); a stop or a failure is kept
/// as its words were then.
fn say_ending(stored: String) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = lang();
    move || {
        let known = match stored.as_str() {
            "finished" => Some(HistoryText::Finished),
            RUNNING => Some(HistoryText::Running),
            INTERRUPTED => Some(HistoryText::Interrupted),
            _ => None,
        };
        known.map_or_else(|| stored.clone(), |text| text.get(lang.get()).to_string())
    }
}

impl RunRecord {
    pub fn last(&self) -> Option<&EpochReport> {
        self.epochs.last()
    }
}

#[derive(Clone, Copy)]
pub struct History {
    pub runs: RwSignal<Vec<RunRecord>>,
    /// The runs ticked to compare, by id.
    pub ticked: RwSignal<Vec<f64>>,
    /// Why there is no history (storage refused), when there is none.
    pub problem: RwSignal<Option<StorageRefused>>,
    database: StoredValue<Option<Database>, LocalStorage>,
}

impl History {
    /// Opens the store and lists what it holds.
    pub fn new() -> History {
        let history = History {
            runs: RwSignal::new(vec![]),
            ticked: RwSignal::new(vec![]),
            problem: RwSignal::new(None),
            database: StoredValue::new_local(None),
        };
        leptos::task::spawn_local(async move {
            match Database::open().await {
                Ok(database) => {
                    let stored = database.all().await;
                    // Runs recorded while the store opened: kept, and stored
                    // once it is open (the ones read from it are there).
                    let during = history.runs.get_untracked();
                    match stored {
                        Ok(records) => {
                            let mut runs: Vec<RunRecord> = records
                                .iter()
                                .filter_map(|json| serde_json::from_str::<RunRecord>(json).ok())
                                .map(|mut run| {
                                    // Shown so, not stored so: another tab may still be running it.
                                    if run.ending == RUNNING {
                                        run.ending = INTERRUPTED.to_string();
                                    }
                                    run
                                })
                                .collect();
                            runs.sort_by(|a, b| a.id.total_cmp(&b.id));
                            for run in &during {
                                upsert(&mut runs, run.clone());
                            }
                            history.runs.set(runs);
                        }
                        Err(e) => history.fail(&e),
                    }
                    history.database.set_value(Some(database));
                    for run in during {
                        history.store(run);
                    }
                }
                Err(e) => history.fail(&e),
            }
        });
        history
    }

    fn fail(&self, reason: &str) {
        self.problem.set(Some(StorageRefused {
            reason: reason.to_string(),
        }));
    }

    fn store(&self, record: RunRecord) {
        let Some(database) = self.database.get_value() else {
            return;
        };
        let history = *self;
        leptos::task::spawn_local(async move {
            let json = serde_json::to_string(&record).expect("a record serialises");
            if let Err(e) = database.put(record.id, &json).await {
                history.fail(&e);
            }
        });
    }

    /// Records `record` (new, or an update of the same run) and stores it.
    pub fn record(&self, record: RunRecord) {
        self.runs.update(|runs| upsert(runs, record.clone()));
        self.store(record);
    }

    pub fn rename(&self, id: f64, name: String) {
        let record = self
            .runs
            .with_untracked(|runs| runs.iter().find(|r| r.id == id).cloned());
        if let Some(mut record) = record {
            record.name = name;
            self.record(record);
        }
    }

    pub fn delete(&self, id: f64) {
        self.runs.update(|runs| runs.retain(|r| r.id != id));
        self.ticked.update(|ticked| ticked.retain(|&t| t != id));
        let Some(database) = self.database.get_value() else {
            return;
        };
        let history = *self;
        leptos::task::spawn_local(async move {
            if let Err(e) = database.delete(id).await {
                history.fail(&e);
            }
        });
    }
}

impl Default for History {
    fn default() -> Self {
        History::new()
    }
}

fn upsert(runs: &mut Vec<RunRecord>, record: RunRecord) {
    match runs.iter_mut().find(|r| r.id == record.id) {
        Some(kept) => *kept = record,
        None => runs.push(record),
    }
}

/// The runs as CSV: one line per epoch.
pub fn to_csv(runs: &[RunRecord]) -> String {
    let mut csv = String::from(
        "run,name,net,resize,batch,lr,optimizer,backend,epoch,loss,train_acc,test_acc,examples_per_s,seconds,data\n",
    );
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    for run in runs {
        for e in &run.epochs {
            csv += &format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                run.id,
                quote(&run.name),
                run.config.net.arch().id(),
                run.config.resize,
                run.config.batch_size,
                run.config.lr,
                run.config.optimizer.id(),
                quote(&run.backend.say(Lang::En)),
                e.epoch,
                e.loss,
                e.train_acc,
                e.test_acc,
                e.examples_per_s,
                e.seconds,
                quote(&run.data.as_ref().map_or_else(
                    || "fashion-mnist".to_string(),
                    |data| format!("{} {}", data.name, data.hash)
                ))
            );
        }
    }
    csv
}

fn download_text(name: &str, text: &str) {
    let buffer = js_sys::Uint8Array::from(text.as_bytes()).buffer();
    if let Err(e) = crate::ui::files::download(name, &buffer.into()) {
        web_sys::console::warn_1(&format!("the download failed: {e}").into());
    }
}

/// The runs table and, for the ticked runs, their curves on one chart.
#[component]
pub fn RunHistory() -> impl IntoView {
    let history = expect_context::<History>();
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let client = expect_context::<crate::ui::ClientHandle>();
    let lang = lang();
    let export_json = move |_| {
        let runs = history.runs.get_untracked();
        download_text(
            "cnn-playground-runs.json",
            &serde_json::to_string_pretty(&runs).expect("runs serialise"),
        );
    };
    let export_csv =
        move |_| download_text("cnn-playground-runs.csv", &to_csv(&history.runs.get_untracked()));
    let rows = move || {
        let ticked = history.ticked.get();
        history
            .runs
            .get()
            .into_iter()
            .rev()
            .map(|record| {
                let id = record.id;
                let is_ticked = ticked.contains(&id);
                let tick = move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    history.ticked.update(|ticked| {
                        ticked.retain(|&t| t != id);
                        if on {
                            ticked.push(id);
                        }
                    });
                };
                let rename = move |ev: leptos::ev::Event| history.rename(id, event_target_value(&ev));
                let config = record.config.clone();
                let data = record.data.clone();
                let again = move |_| {
                    if !run.busy_untracked() {
                        settings.fill(&config);
                        // And the run's data: Fashion-MNIST back, or its images asked for.
                        client.with_value(|client| client.want_data_of(data.as_ref()));
                    }
                };
                let delete = move |_| history.delete(id);
                let one = record.clone();
                let one_csv = one.clone();
                let export = move |_| {
                    let json = serde_json::to_string_pretty(&one).expect("a run serialises");
                    download_text(&format!("run-{}.json", one.id as u64), &json);
                };
                let export_csv = move |_| {
                    download_text(
                        &format!("run-{}.csv", one_csv.id as u64),
                        &to_csv(std::slice::from_ref(&one_csv)),
                    );
                };
                let test_acc = record.last().map(|l| l.test_acc);
                let figures = move || test_acc.map_or("–".to_string(), |acc| lang.get().number(acc, 3));
                let settings_text = say(RunSettings {
                    resize: record.config.resize,
                    batch: record.config.batch_size,
                    lr: record.config.lr,
                    epochs: record.config.epochs,
                });
                let epochs = record.epochs.len() as u64;
                view! {
                    <tr data-run=id>
                        <td><input
                            type="checkbox"
                            name="compare"
                            aria-label=tr(HistoryText::CompareRun)
                            prop:checked=is_ticked
                            on:change=tick
                        /></td>
                        <td><input
                            class="run-name"
                            name="run-name"
                            aria-label=tr(HistoryText::NameOfRun)
                            title=say(Started(id))
                            value=record.name.clone()
                            on:change=rename
                        /></td>
                        <td>
                            {say(record.config.net.title())}
                            {record.data.clone().map(|data| view! { <span class="run-data">{say(RunData(data))}</span> })}
                        </td>
                        <td class="muted wraps">{settings_text}</td>
                        <td>{say(record.backend.clone())}</td>
                        <td class="num">{move || lang.get().count(epochs)}</td>
                        <td class="num">{figures}</td>
                        <td class="muted wraps">{say_ending(record.ending.clone())}</td>
                        <td class="actions">
                            <button
                                name="run-again"
                                on:click=again
                                disabled=move || run.busy()
                                title=tr(HistoryText::RunAgainTitle)
                            >
                                {tr(HistoryText::RunAgain)}
                            </button>
                            <button name="export-run" on:click=export>{tr(HistoryText::Json)}</button>
                            <button name="export-run-csv" on:click=export_csv>{tr(HistoryText::Csv)}</button>
                            <button name="delete-run" on:click=delete>{tr(HistoryText::Delete)}</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="history panel" aria-labelledby="history-title">
            <div class="history-head">
                <h2 id="history-title">{tr(HistoryText::Title)}</h2>
                <button name="export-json" on:click=export_json>{tr(HistoryText::ExportJson)}</button>
                <button name="export-csv" on:click=export_csv>{tr(HistoryText::ExportCsv)}</button>
            </div>
            {move || history.problem.get().map(|p| view! { <p class="history-problem" role="alert">{move || p.say(lang.get())}</p> })}
            {move || history.runs.with(Vec::is_empty).then(|| view! {
                <p class="muted">{tr(HistoryText::Empty)}</p>
            })}
            <div class="table-scroll">
                <table class="runs">
                    <thead><tr>
                        <th>{tr(HistoryText::Compare)}</th>
                        <th>{tr(HistoryText::Name)}</th>
                        <th>{tr(HistoryText::Net)}</th>
                        <th>{tr(HistoryText::Settings)}</th>
                        <th>{tr(HistoryText::Backend)}</th>
                        <th class="num">{tr(HistoryText::Epochs)}</th>
                        <th class="num">{tr(HistoryText::TestAcc)}</th>
                        <th>{tr(HistoryText::Ended)}</th>
                        <td></td>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <CompareChart />
        </section>
    }
}
