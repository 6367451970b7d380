//! The page's side of the training worker: what views ask of it.
//!
//! Its rooms: `life` (starting, watching and replacing the worker),
//! `outbox` (the one queue of what the worker cannot take yet), `reports`
//! (what the worker says, turned into the page's state) and `records` (the
//! run history's record of each run). Messages cross through
//! `web::channel`.

mod life;
pub mod outbox;
mod records;
mod reports;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::ArrayBuffer;
use leptos::prelude::*;

use crate::arch::NetIo;
use crate::data::own::{OwnAbout, OwnSource};
use crate::i18n::run::WeightsNote;
use crate::link::{AskedBy, AskedData, DataRequest};
use crate::training::TrainConfig;
use crate::ui::history::History;
use crate::ui::inside_state::Inside;
use crate::ui::run::Run;
use crate::ui::state::Settings;
use crate::web::channel::{Envelope, Slot};
use crate::web::protocol::{Command, Images, PictureRef};
use crate::web::webgpu::BackendChoice;

use life::WorkerLife;
use outbox::Outbox;
use records::Records;

/// Fashion-MNIST, served with the app.
pub fn data_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    // The page may sit in a sub-folder (www/embed.html embeds ../index.html);
    // the data sits beside index.html.
    let root = base.rsplit_once('/').map_or("", |(dir, _)| dir);
    format!("{root}/assets/fashion-mnist/")
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Where the worker's data comes from and how much of it was asked for,
/// asked again of a worker that replaces one.
#[derive(Default)]
struct DataSource {
    /// The most images asked of this worker (since the last failure).
    asked: Images,
    /// What the load that failed asked for: Retry asks it again.
    failed: Option<Images>,
    /// Files picked from disk, kept to hand a new worker again.
    picked: Option<Picked>,
    /// They were handed to this worker.
    picked_sent: bool,
    /// Images of one's own handed to the worker and not yet read: they
    /// become `picked` once it says it holds them (a failure leaves what
    /// was there).
    trying: Option<OwnFiles>,
}

/// Data a user picked from disk, instead of the served Fashion-MNIST.
#[derive(Clone)]
enum Picked {
    /// Fashion-MNIST's four files (in the order of `web::fetch::FILES`).
    Fashion(Vec<ArrayBuffer>),
    Own(OwnFiles),
}

/// Images of one's own as read from disk (`ui::own_files`), to hand the
/// worker.
#[derive(Clone)]
pub struct OwnFiles {
    pub source: OwnSource,
    /// `Slot::OwnFiles` and `Slot::OwnFileEnds`.
    pub files: ArrayBuffer,
    pub ends: ArrayBuffer,
}

impl OwnFiles {
    /// `UseOwnData` with copies of the bytes (the page keeps its own).
    fn command(&self) -> Envelope<Command> {
        Envelope::new(Command::UseOwnData {
            source: self.source.clone(),
        })
        .with(Slot::OwnFiles, self.files.slice(0))
        .with(Slot::OwnFileEnds, self.ends.slice(0))
    }
}

impl Picked {
    fn command(&self) -> Envelope<Command> {
        match self {
            Picked::Fashion(buffers) => files_command(buffers),
            Picked::Own(own) => own.command(),
        }
    }
}

#[derive(Default)]
struct Shared {
    life: RefCell<WorkerLife>,
    outbox: RefCell<Outbox>,
    records: RefCell<Records>,
    data: RefCell<DataSource>,
    /// What the last `Prepare` asked for (net, batch, input size), so that
    /// a change of the learning rate asks for nothing.
    prepared: RefCell<Option<String>>,
}

/// A handle on the worker; cheap to clone.
#[derive(Clone)]
pub struct Client {
    shared: Rc<Shared>,
    run: Run,
    inside: Inside,
    history: History,
    /// The page's settings: the backend asked for (the form and the URL
    /// show it when a crash switches to the CPU) and the net (a weights
    /// file of another net switches it).
    settings: Settings,
}

impl Client {
    pub fn new(run: Run, inside: Inside, history: History, settings: Settings) -> Client {
        let client = Client {
            shared: Rc::new(Shared::default()),
            run,
            inside,
            history,
            settings,
        };
        client.start();
        client.watch();
        client
    }

    /// Queues `command` for the worker; it goes as soon as the worker can
    /// take it (and holds the images it works on: asked for here).
    fn send(&self, command: impl Into<Envelope<Command>>) {
        let command = command.into();
        if let Some(images) = command.message.images_needed() {
            self.need_data(images);
        }
        self.shared.outbox.borrow_mut().push(command);
        self.flush();
    }

    /// Posts what the worker can take now; says what a queued run waits for.
    fn flush(&self) {
        let sendable = self.shared.outbox.borrow_mut().take_sendable();
        for command in sendable {
            self.shared.life.borrow().post(&command);
        }
        self.run.set_queued(self.shared.outbox.borrow().run_waits_for());
    }

    /// Starts a run (loading the images it needs first if the worker lacks
    /// them); a run asked for before the worker is ready waits for it.
    pub fn train(&self, config: TrainConfig) {
        self.run.data_error.set(None);
        self.run.asked(&config);
        // The gallery's classes are the last run's until this one's first epoch.
        self.inside.predictions.set(None);
        self.inside.cell.set(None);
        let from_weights = self.run.can_continue.get_untracked() && self.run.from_weights.get_untracked();
        let expected_step_ms = self
            .run
            .calibration
            .get_untracked()
            .map_or(0.0, |c| c.seconds_per_example * config.batch_size as f64 * 1000.0);
        self.shared.life.borrow_mut().expect_steps_of(expected_step_ms);
        self.shared.records.borrow_mut().ask(config.clone(), from_weights);
        self.send(Command::Train { config, from_weights });
    }

    /// Has the worker get a run of `config` ready while the user is still
    /// reading: compile its kernels (WebGPU) and measure its speed.
    pub fn prepare(&self, config: TrainConfig) {
        if self.run.backend.get_untracked().is_none() {
            return;
        }
        let key = serde_json::json!([config.net, config.batch_size, config.resize]).to_string();
        if self.shared.prepared.borrow().as_ref() == Some(&key) {
            return;
        }
        *self.shared.prepared.borrow_mut() = Some(key);
        self.run.calibration.set(None);
        self.send(Command::Prepare { config });
    }

    /// Asks the worker for at least `images` (the shards it lacks), or for
    /// the picked files once.
    fn need_data(&self, images: Images) {
        let ask = {
            let mut data = self.shared.data.borrow_mut();
            match &data.picked {
                Some(picked) if !data.picked_sent => {
                    let command = picked.command();
                    data.picked_sent = true;
                    Some(command)
                }
                Some(_) => None,
                None if data.asked.covers(images) => None,
                None => {
                    data.asked = data.asked.max(images);
                    Some(Envelope::new(Command::LoadData {
                        data_url: data_url(),
                        images: Some(data.asked),
                    }))
                }
            }
        };
        if let Some(command) = ask {
            self.shared.outbox.borrow_mut().push(command);
            self.flush();
        }
    }

    /// A new worker holds nothing: what the last one was asked for is
    /// asked of it again.
    fn ask_data_again(&self) {
        let asked = {
            let mut data = self.shared.data.borrow_mut();
            data.picked_sent = false;
            std::mem::take(&mut data.asked)
        };
        if asked != Images::default() || self.shared.data.borrow().picked.is_some() {
            self.need_data(asked);
        }
    }

    /// The worker could not load what was asked: it holds `held`, and Retry
    /// asks again.
    fn data_failed(&self, held: Images) {
        let mut data = self.shared.data.borrow_mut();
        data.failed = Some(data.asked);
        data.asked = held;
        data.picked_sent = false;
    }

    /// Hands the worker four files the user picked (as ArrayBuffers, in the
    /// order of `web::fetch::FILES`); they replace the served ones.
    pub fn use_files(&self, buffers: Vec<ArrayBuffer>) {
        self.run.data_error.set(None);
        {
            let mut data = self.shared.data.borrow_mut();
            data.picked = Some(Picked::Fashion(buffers));
            data.picked_sent = false;
        }
        self.need_data(Images::ALL);
    }

    /// Hands the worker images of one's own; they replace the data held
    /// once it has read them (`DataReady` with `own`), and a failure
    /// (`DataFailed`) leaves the data held before.
    pub fn use_own(&self, own: OwnFiles) {
        self.run.data_error.set(None);
        self.run.own_problem.set(None);
        let command = own.command();
        self.shared.data.borrow_mut().trying = Some(own);
        // Nothing trains or looks inside on the old data meanwhile.
        self.shared.outbox.borrow_mut().readiness.forget_data();
        self.shared.outbox.borrow_mut().push(command);
        self.flush();
    }

    /// Asks the reader for images of one's own (a link's, a run's): the
    /// net takes their channels and classes and the views their names
    /// meanwhile, and the own-data panel asks for them.
    pub fn ask_for_data(&self, request: DataRequest) {
        self.settings.io.set(request.data.io());
        crate::i18n::classes::use_class_names(Some(request.data.classes.clone()));
        self.run.asked_data.set(Some(request));
    }

    /// "Run again" of a run on `data` (`None`: Fashion-MNIST): back to
    /// Fashion-MNIST at once, or the run's images of one's own asked for,
    /// unless the page holds them.
    pub fn want_data_of(&self, data: Option<&OwnAbout>) {
        let held = self
            .run
            .own_data
            .with_untracked(|own| own.as_ref().map(|about| about.hash.clone()));
        match data {
            // Back to Fashion-MNIST from images held or asked for.
            None if held.is_some() || self.run.asked_data.with_untracked(Option::is_some) => {
                self.use_fashion()
            }
            Some(about) if held.as_ref() != Some(&about.hash) => self.ask_for_data(DataRequest {
                by: AskedBy::Run,
                data: AskedData::from(about),
                held_before: held,
            }),
            _ => {}
        }
    }

    /// Back to the served Fashion-MNIST from images of one's own.
    pub fn use_fashion(&self) {
        self.run.own_problem.set(None);
        // The images a link named are not wanted any more either.
        if self.run.asked_data.get_untracked().is_some() {
            self.run.asked_data.set(None);
            crate::i18n::classes::use_class_names(None);
            self.settings.io.set(NetIo::default());
        }
        {
            let mut data = self.shared.data.borrow_mut();
            data.picked = None;
            data.picked_sent = false;
            data.trying = None;
            data.asked = Images::default();
        }
        self.shared.outbox.borrow_mut().readiness.forget_data();
        // The page is on Fashion-MNIST from now: its classes and the nets
        // for it show while its images load.
        self.data_is(None);
        let images = self
            .settings
            .train_config()
            .map_or(Images::ALL, |config| Images::of_run(&config));
        self.need_data(images);
    }

    /// The worker read the images of one's own handed to it (`Some`), or
    /// says it holds Fashion-MNIST (`None`): the page takes that data's
    /// channels, classes and class names.
    fn data_is(&self, own: Option<&OwnAbout>) {
        {
            let mut data = self.shared.data.borrow_mut();
            if own.is_some()
                && let Some(tried) = data.trying.take()
            {
                data.picked = Some(Picked::Own(tried));
                data.picked_sent = true;
            }
        }
        let changed = self
            .run
            .own_data
            .with_untracked(|held| held.as_ref().map(|a| &a.hash) != own.map(|a| &a.hash));
        if !changed {
            // The same images read again: the panel's reading ends.
            if own.is_some() {
                self.run.own_data.set(own.cloned());
            }
            return;
        }
        crate::i18n::classes::use_class_names(own.map(|about| about.classes.clone()));
        self.settings.io.set(own.map_or(NetIo::default(), OwnAbout::io));
        self.run.own_data.set(own.cloned());
        // Test images, predictions and weights are of the other data.
        self.inside.images.set(Default::default());
        self.inside.predictions.set(None);
        self.inside.answer.set(None);
        self.inside.cell.set(None);
        self.run.can_continue.set(false);
        *self.shared.prepared.borrow_mut() = None;
    }

    /// Asks what the net makes of a picture (`Command::LookInside`; `own`:
    /// the user's picture's pixels). One at a time: the latest asked
    /// meanwhile follows. The test images load first if they have not.
    pub fn look_inside(&self, command: Command, own: Option<Vec<u8>>) {
        let mut envelope = Envelope::new(command);
        if let (
            Command::LookInside {
                picture: PictureRef::Own,
                ..
            },
            Some(pixels),
        ) = (&envelope.message, own)
        {
            envelope = envelope.with_bytes(Slot::Pixels, &pixels);
        }
        self.send(envelope);
    }

    /// Asks the worker for its weights as a file (a download follows).
    pub fn save_weights(&self) {
        self.run.weights_problem.set(None);
        self.send(Command::SaveWeights);
    }

    /// Hands the worker a weights file for `config`'s net; it is checked
    /// whole, then evaluated on `config`'s test images.
    pub fn load_weights(&self, name: String, file: ArrayBuffer, config: &TrainConfig) {
        self.run.weights_problem.set(None);
        self.run
            .weights_note
            .set(Some(WeightsNote::Loading { name: name.clone() }));
        let command = Command::LoadWeights {
            net: config.net.clone(),
            resize: config.resize,
            name,
            test_limit: config.test_limit,
            batch_size: config.batch_size,
        };
        self.send(Envelope::new(command).with(Slot::WeightsFile, file));
    }

    /// Fetches the grey levels of test images the gallery shows.
    pub fn test_images(&self, indices: Vec<usize>) {
        if self.has_data() {
            self.send(Command::TestImages { indices });
        }
    }

    /// Whether the worker holds any of the data.
    pub fn has_data(&self) -> bool {
        self.shared.outbox.borrow().readiness.has_data()
    }

    /// Retries loading the data after a failure: what failed is asked again.
    pub fn retry_data(&self) {
        self.run.data_error.set(None);
        let again = self.shared.data.borrow_mut().failed.take();
        self.need_data(again.unwrap_or(Images::ALL));
    }

    pub fn pause(&self) {
        self.send(Command::Pause);
    }

    pub fn resume(&self) {
        self.send(Command::Resume);
    }

    /// Stops the run; one asked for and not started yet is forgotten.
    pub fn stop(&self) {
        if self.shared.outbox.borrow_mut().drop_run() {
            self.run.not_started();
            self.flush();
        } else {
            self.send(Command::Stop);
        }
    }

    /// Switches the backend later runs use.
    pub fn set_backend(&self, choice: BackendChoice) {
        if self.settings.backend.get_untracked() == choice {
            return;
        }
        self.settings.backend.set(choice);
        self.shared.outbox.borrow_mut().readiness.backend = false;
        *self.shared.prepared.borrow_mut() = None;
        // The threaded worker has no WebGPU, the other no threads: a switch
        // between WebGPU and the CPU on an isolated page changes worker.
        let threaded = self.shared.life.borrow().threaded;
        if threaded != life::wants_threads(choice) && !self.run.phase.get_untracked().is_running() {
            self.replace_worker(life::wants_threads(choice));
        } else {
            self.send(Command::ChooseBackend { choice });
        }
    }
}

/// `UseFiles` with copies of the picked files (the page keeps its own, for
/// a worker that replaces this one).
fn files_command(buffers: &[ArrayBuffer]) -> Envelope<Command> {
    crate::web::fetch::FILE_SLOTS
        .iter()
        .zip(buffers)
        .fold(Envelope::new(Command::UseFiles), |envelope, (&slot, buffer)| {
            envelope.with(slot, buffer.slice(0))
        })
}
