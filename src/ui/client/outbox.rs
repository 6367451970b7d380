//! The page's one queue for the worker: what it cannot take yet waits
//! here, in order, and goes as soon as the worker has what it needs (its
//! wasm listening, a backend chosen, enough of the data: the images this
//! run, this test picture, this evaluation uses).

use std::collections::VecDeque;

use crate::training::TrainConfig;
use crate::ui::run::Waiting;
use crate::web::channel::Envelope;
use crate::web::protocol::{Command, Images};

/// What a command needs of the worker before it can go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Its wasm listening: what sets it up, and what steers a run.
    Listening,
    /// A backend chosen.
    Backend,
    /// A backend and at least these images: what trains, evaluates or
    /// shows test images.
    BackendAndData(Images),
}

impl Need {
    pub fn of(command: &Command) -> Need {
        match command {
            Command::ChooseBackend { .. }
            | Command::LoadData { .. }
            | Command::UseFiles
            | Command::UseOwnData { .. }
            | Command::Trace
            | Command::Pause
            | Command::Resume
            | Command::Stop
            | Command::Ping
            | Command::FailOnPurpose { .. }
            | Command::SaveWeights => Need::Listening,
            Command::Prepare { .. } => Need::Backend,
            Command::Train { .. }
            | Command::Bench { .. }
            | Command::Profile { .. }
            | Command::LookInside { .. }
            | Command::TestImages { .. }
            | Command::LoadWeights { .. } => {
                Need::BackendAndData(command.images_needed().unwrap_or_default())
            }
        }
    }
}

/// What the current worker has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Readiness {
    /// Its wasm has said `Ready`.
    pub listening: bool,
    /// The page has its backend (and keeps this worker for it).
    pub backend: bool,
    /// The images it holds (the first of each split).
    pub data: Images,
    /// Those are all there are (the whole set, or the files picked).
    pub all_data: bool,
}

impl Readiness {
    /// What `need` still waits for, if anything.
    pub fn waiting_for(&self, need: Need) -> Option<Waiting> {
        match need {
            _ if !self.listening => Some(Waiting::Worker),
            Need::Listening => None,
            _ if !self.backend => Some(Waiting::Backend),
            Need::Backend => None,
            Need::BackendAndData(images) if !self.holds(images) => Some(Waiting::Data),
            Need::BackendAndData(_) => None,
        }
    }

    /// Whether the worker holds at least `images`.
    pub fn holds(&self, images: Images) -> bool {
        self.all_data || self.data.covers(images)
    }

    /// It holds nothing the page may use until it says again: other data
    /// is on its way.
    pub fn forget_data(&mut self) {
        self.data = Images::default();
        self.all_data = false;
    }

    /// Whether it holds any data at all.
    pub fn has_data(&self) -> bool {
        self.all_data || self.data != Images::default()
    }
}

/// Commands of which only the latest asked for matters: a newer one takes
/// the place of one still waiting.
fn latest_only(a: &Command, b: &Command) -> bool {
    use Command::*;
    matches!(
        (a, b),
        (ChooseBackend { .. }, ChooseBackend { .. })
            | (
                LoadData { .. } | UseFiles | UseOwnData { .. },
                LoadData { .. } | UseFiles | UseOwnData { .. }
            )
            | (Prepare { .. }, Prepare { .. })
            | (Train { .. }, Train { .. })
            | (LookInside { .. }, LookInside { .. })
            | (LoadWeights { .. }, LoadWeights { .. })
    )
}

#[derive(Default)]
pub struct Outbox {
    queued: VecDeque<Envelope<Command>>,
    pub readiness: Readiness,
    /// A `LookInside` is with the worker: the next waits for its answer.
    inside_in_flight: bool,
    /// A `Train` went to the worker, which has not said yet that it
    /// started it (or why not).
    run_sent: bool,
}

impl Outbox {
    /// A new worker: nothing of it is ready, nothing is with it.
    pub fn new_worker(&mut self) {
        self.readiness = Readiness::default();
        self.inside_in_flight = false;
        self.run_sent = false;
    }

    pub fn push(&mut self, command: Envelope<Command>) {
        self.queued
            .retain(|queued| !latest_only(&queued.message, &command.message));
        self.queued.push_back(command);
    }

    /// The commands that can go now, in the order they were asked for;
    /// the rest stay.
    pub fn take_sendable(&mut self) -> Vec<Envelope<Command>> {
        let mut sendable = vec![];
        let mut kept = VecDeque::with_capacity(self.queued.len());
        for command in self.queued.drain(..) {
            let need = Need::of(&command.message);
            let inside = matches!(command.message, Command::LookInside { .. });
            if self.readiness.waiting_for(need).is_none() && !(inside && self.inside_in_flight) {
                self.inside_in_flight |= inside;
                self.run_sent |= matches!(command.message, Command::Train { .. });
                sendable.push(command);
            } else {
                kept.push_back(command);
            }
        }
        self.queued = kept;
        sendable
    }

    /// The worker answered a `LookInside`: the next may go.
    pub fn inside_answered(&mut self) {
        self.inside_in_flight = false;
    }

    /// The run asked for and not sent yet.
    pub fn queued_run(&self) -> Option<&TrainConfig> {
        self.queued.iter().find_map(|command| match &command.message {
            Command::Train { config, .. } => Some(config),
            _ => None,
        })
    }

    /// What the run asked for waits for: the worker's readiness while it
    /// is queued, then the worker's word that it started.
    pub fn run_waits_for(&self) -> Option<Waiting> {
        match self.queued_run() {
            Some(run) => self
                .readiness
                .waiting_for(Need::BackendAndData(Images::of_run(run))),
            None => self.run_sent.then_some(Waiting::Start),
        }
    }

    /// The worker answered the run sent: it started it, or said why not.
    pub fn run_answered(&mut self) {
        self.run_sent = false;
    }

    /// Forgets a queued run (its data failed, the user stopped it, the
    /// worker crashed); says whether there was one.
    pub fn drop_run(&mut self) -> bool {
        let before = self.queued.len();
        self.queued
            .retain(|command| !matches!(command.message, Command::Train { .. }));
        self.queued.len() != before
    }
}
