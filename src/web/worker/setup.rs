//! What every run needs first: the backend (WebGPU or the CPU) and the
//! data (the shards a run needs, fetched or from the browser's cache; the
//! four canonical files where the site has no shards, or as a user picked
//! them).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::Worker;
use crate::arch::NetIo;
use crate::data::Dataset;
use crate::data::own::OwnAbout;
use crate::protocol::{Command, DataLoadError, Images, Report, WorkerError};
use crate::training::TrainConfig;
use crate::web::channel::{Envelope, post_report};
use crate::web::fetch::{self, Source};
use crate::web::shards::{self, Held, Outcome};
use crate::web::webgpu::{self, Backend, BackendChoice};

/// The name downloads go by in the progress bar: the shards are many.
const DOWNLOAD_NAME: &str = "Fashion-MNIST";

pub(super) async fn choose(worker: Rc<Worker>, choice: BackendChoice) {
    let kept = worker.webgpu.borrow().clone();
    let chosen = webgpu::choose(choice, kept).await;
    if let (device, Backend::WebGpu(adapter)) = &chosen {
        *worker.webgpu.borrow_mut() = Some((device.clone(), adapter.clone()));
    }
    post_report(Report::Backend {
        backend: chosen.1.clone(),
    });
    *worker.device.borrow_mut() = Some(chosen);
}

/// Where the worker's data stands: what it holds of the shards, and the
/// load under way with what is asked meanwhile.
#[derive(Default)]
pub(super) struct DataState {
    /// The shards held; `None` before the first load, or when the data is
    /// the canonical files (served whole, or picked).
    held: RefCell<Option<Held>>,
    /// The worker holds every image there is.
    all: Cell<bool>,
    loading: Cell<bool>,
    /// What was asked while a load ran: the most of it, loaded next.
    next: RefCell<Option<Asked>>,
    /// The images held are one's own (`UseOwnData`): what they are.
    pub(super) own: RefCell<Option<OwnAbout>>,
}

/// A `LoadData`: where, and how many images (`None`: all).
#[derive(Clone)]
struct Asked {
    data_url: String,
    images: Option<Images>,
}

impl Asked {
    /// This and `later` as one ask: the later place, the more images.
    fn and(self, later: Asked) -> Asked {
        let images = match (self.images, later.images) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        Asked {
            data_url: later.data_url,
            images,
        }
    }
}

/// Loads what `LoadData` asks for; one load at a time, what is asked
/// meanwhile follows it.
pub(super) fn load(worker: Rc<Worker>, data_url: String, images: Option<Images>) {
    let asked = Asked { data_url, images };
    let state = &worker.data_state;
    let next = state.next.borrow_mut().take();
    *state.next.borrow_mut() = Some(match next {
        Some(earlier) => earlier.and(asked),
        None => asked,
    });
    if state.loading.replace(true) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let asked = worker.data_state.next.borrow_mut().take();
            let Some(asked) = asked else { break };
            load_once(&worker, asked).await;
        }
        worker.data_state.loading.set(false);
    });
}

/// The images the worker holds.
fn held_images(worker: &Worker) -> Images {
    worker.data().map_or(Images::default(), |data| Images {
        train: data.0.len(),
        test: data.1.len(),
    })
}

/// Says what the worker holds (and, for images of one's own, what they
/// are).
pub(super) fn ready(worker: &Worker, from_cache: bool) {
    let held = held_images(worker);
    post_report(Report::DataReady {
        train: held.train,
        test: held.test,
        from_cache,
        all: worker.data_state.all.get(),
        own: worker.data_state.own.borrow().clone(),
    });
}

async fn load_once(worker: &Rc<Worker>, asked: Asked) {
    let state = &worker.data_state;
    if state.own.borrow_mut().take().is_some() {
        // Back to Fashion-MNIST: images of one's own are no part of it.
        *worker.data.borrow_mut() = None;
        state.all.set(false);
    }
    let wanted = asked.images.unwrap_or(Images::ALL);
    if worker.data().is_some() && (state.all.get() || held_images(worker).covers(wanted)) {
        return ready(worker, true);
    }
    let mut last_percent = u64::MAX;
    let progress = Rc::new(RefCell::new(move |loaded: u64, total: u64| {
        // A report per percent, not per network chunk.
        let percent = loaded * 100 / total.max(1);
        if percent != last_percent || loaded == total {
            last_percent = percent;
            post_report(Report::Download {
                file: DOWNLOAD_NAME.to_string(),
                loaded,
                total: Some(total),
            });
        }
    }));
    let mut held = state.held.borrow_mut().take();
    let before = held_images(worker);
    let mut sets = match (&held, worker.data()) {
        (Some(_), Some(data)) => (*data).clone(),
        _ => (empty(), empty()),
    };
    let loaded = shards::extend(&asked.data_url, &mut held, &mut sets, asked.images, progress).await;
    let all = held.as_ref().is_some_and(Held::all);
    *state.held.borrow_mut() = held;
    match loaded {
        Ok(Outcome::Done(source)) => {
            install(worker, sets, all);
            ready(worker, source == Source::Cache);
        }
        Ok(Outcome::NoShards) => load_whole(worker, &asked.data_url).await,
        Err(error) => {
            // What did come stays (a run on fewer images may use it); the
            // run that asked for more does not start.
            if sets.0.len() != before.train || sets.1.len() != before.test {
                install(worker, sets, all);
                ready(worker, false);
            }
            post_report(Report::DataFailed { error });
        }
    }
}

fn empty() -> Dataset {
    Dataset::new(vec![], vec![]).expect("no images, no labels")
}

pub(super) fn install(worker: &Worker, sets: (Dataset, Dataset), all: bool) {
    worker.data_state.all.set(all);
    *worker.data.borrow_mut() = Some(Rc::new(sets));
}

/// The four canonical files whole: where the site has no shards.
async fn load_whole(worker: &Worker, data_url: &str) {
    let mut last_percent = u64::MAX;
    let progress = |file: &str, loaded: u64, total: Option<u64>| {
        let percent = total.map_or(loaded >> 20, |total| loaded * 100 / total.max(1));
        if percent != last_percent || Some(loaded) == total {
            last_percent = percent;
            post_report(Report::Download {
                file: file.to_string(),
                loaded,
                total,
            });
        }
    };
    match fetch::load(data_url, progress).await {
        Ok((train, test, source)) => {
            *worker.data_state.held.borrow_mut() = None;
            install(worker, (train, test), true);
            ready(worker, source == Source::Cache);
        }
        Err(error) => post_report(Report::DataFailed { error }),
    }
}

pub(super) fn use_files(worker: &Worker, command: &Envelope<Command>) {
    let files: Vec<Vec<u8>> = fetch::FILE_SLOTS
        .iter()
        .map(|&slot| command.bytes(slot))
        .collect();
    match fetch::decode(&files) {
        Ok((train, test)) => {
            *worker.data_state.held.borrow_mut() = None;
            *worker.data_state.own.borrow_mut() = None;
            install(worker, (train, test), true);
            ready(worker, false);
        }
        Err(e) => post_report(Report::DataFailed {
            error: DataLoadError::Decode {
                problem: e.to_string(),
            },
        }),
    }
}

/// The class names of the images of one's own held (none for
/// Fashion-MNIST's): a weights file of a net trained on them names them.
pub(super) fn own_class_names(worker: &Worker) -> Vec<String> {
    worker
        .data_state
        .own
        .borrow()
        .as_ref()
        .map_or(vec![], |own| own.classes.clone())
}

/// The channels and classes of the data held.
pub(super) fn data_io(worker: &Worker) -> NetIo {
    worker
        .data_state
        .own
        .borrow()
        .as_ref()
        .map_or(NetIo::default(), OwnAbout::io)
}

/// A run starts on all the images it needs or not at all: from the shards,
/// the worker may hold fewer than it asks for (the page waits for them; a
/// client that did not is told).
pub(super) fn enough_for(worker: &Worker, config: &TrainConfig) -> Result<(), WorkerError> {
    let data = data_io(worker);
    if config.net.io() != data {
        return Err(WorkerError::NetNotForData {
            net: config.net.io(),
            data,
        });
    }
    let needs = Images::of_run(config);
    let here = held_images(worker);
    match worker.data_state.all.get() || here.covers(needs) {
        true => Ok(()),
        false => Err(WorkerError::TooFewImages { here, needs }),
    }
}
