//! The model the worker keeps between runs (the last run's, a loaded
//! file's, or a fresh one looked inside): saved as a weights file, loaded
//! from one, trained on.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;

use super::{Worker, inside, runs};
use crate::arch::NetConfig;
use crate::data::Resize;
use crate::model::Net;
use crate::protocol::{Command, InsideWeights, PredictionsWhen, Report, WeightsFailure};
use crate::training::{self, TrainConfig, TrainError};
use crate::web::channel::{Envelope, Slot, post_report};
use crate::weights::{self, About, WeightsState};

/// A model kept to be looked at, saved, or trained on between runs.
struct KeptModel {
    model: Net,
    /// Which net, at which size, trained how: what a saved file says.
    about: About,
    /// What its weights are, as the page says it.
    weights: InsideWeights,
}

#[derive(Default)]
pub(super) struct Kept(RefCell<Option<KeptModel>>);

impl Kept {
    pub fn keep(&self, model: Net, about: About, weights: InsideWeights) {
        *self.0.borrow_mut() = Some(KeptModel {
            model,
            about,
            weights,
        });
    }

    /// Lets the model go (a run is about to make its own).
    pub fn forget(&self) {
        self.0.borrow_mut().take();
    }

    /// The kept model and what its weights are, if it is of `net` at `resize`.
    pub fn model_and_weights(&self, net: &NetConfig, resize: usize) -> Option<(Net, InsideWeights)> {
        let kept = self.0.borrow();
        let kept = kept.as_ref()?;
        (kept.about.net == *net && kept.about.resize == resize)
            .then(|| (kept.model.clone(), kept.weights.clone()))
    }

    /// The kept model, if it is of `net` at `resize` (to train on).
    pub fn model_for(&self, net: &NetConfig, resize: usize) -> Option<Net> {
        self.model_and_weights(net, resize).map(|(model, _)| model)
    }

    /// A fresh model of `net` at `resize` (random filters), kept.
    pub fn keep_untrained(
        &self,
        net: &NetConfig,
        resize: usize,
        device: &Device,
    ) -> Result<(Net, InsideWeights), training::TrainError> {
        let config = TrainConfig {
            net: net.clone(),
            resize,
            ..TrainConfig::book(net.arch())
        };
        let model =
            training::init_model(&config, &device.clone().inner().autodiff()).map_err(TrainError::Net)?;
        let weights = InsideWeights::Untrained;
        self.keep(
            model.clone(),
            About::of_run(&config, None, WeightsState::Untrained),
            weights.clone(),
        );
        Ok((model, weights))
    }

    fn model_and_about(&self) -> Option<(Net, About)> {
        self.0
            .borrow()
            .as_ref()
            .map(|kept| (kept.model.clone(), kept.about.clone()))
    }
}

/// Answers `SaveWeights`: during a run, between two of its steps (with the
/// weights as they are then); else at once, with the kept model.
pub(super) fn save_when_free(worker: Rc<Worker>) {
    if worker.control.running.borrow().is_some() {
        worker.control.save_waiting.set(true);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match worker.kept.model_and_about() {
            Some((model, about)) => post_weights(&model, &about).await,
            None => post_report(Report::WeightsFailed {
                failure: WeightsFailure::NoWeightsYet,
            }),
        }
    });
}

/// Posts `model` as a weights file named after its net (written from a
/// CPU copy: Burn's store reads synchronously, WebGPU cannot).
pub(super) async fn post_weights(model: &Net, about: &About) {
    let bytes = match weights::to_cpu(model, &about.net, about.resize).await {
        Ok(cpu) => weights::to_bytes(&cpu, about),
        Err(e) => Err(e),
    };
    match bytes {
        Ok(bytes) => {
            let file_name = format!("{}-{}px.safetensors", about.net.arch().id(), about.resize);
            post_report(
                Envelope::new(Report::WeightsFile { file_name }).with_bytes(Slot::WeightsFile, &bytes),
            );
        }
        Err(e) => post_report(Report::WeightsFailed {
            failure: WeightsFailure::CouldNotSave { problem: e },
        }),
    }
}

/// Answers `LoadWeights`, holding the worker while it evaluates the file.
pub(super) fn load(worker: Rc<Worker>, command: Envelope<Command>) {
    let bytes = command.bytes(Slot::WeightsFile);
    let Command::LoadWeights {
        net,
        resize,
        name,
        test_limit,
        batch_size,
    } = command.message
    else {
        unreachable!("not a weights file: {:?}", command.message)
    };
    let config = TrainConfig {
        net,
        resize,
        test_limit,
        batch_size,
        ..TrainConfig::book(crate::arch::Arch::LeNet)
    };
    runs::exclusive(worker, move |worker| async move {
        if let Err(failure) = load_file(&worker, &bytes, &name, &config).await {
            post_report(Report::WeightsFailed { failure });
        }
    });
}

/// Loads a weights file for `config`'s net: checked whole first, so a bad
/// one changes nothing; then kept, evaluated on the test images and shown
/// in the gallery.
async fn load_file(
    worker: &Worker,
    bytes: &[u8],
    name: &str,
    config: &TrainConfig,
) -> Result<(), WeightsFailure> {
    let (device, backend) = worker.device().ok_or(WeightsFailure::NoBackend)?;
    let data = worker.data().ok_or(WeightsFailure::NoData)?;
    let in_file = |problem: weights::WeightsError| WeightsFailure::File {
        name: name.to_string(),
        problem,
    };
    // A file of ours says which net it holds (edits and input size too):
    // that net is built, whatever the form shows, and the page follows it.
    // A file from PyTorch says nothing: it is read as the form's net.
    let file_net = match weights::read_about(bytes).map_err(&in_file)? {
        Some(about) if (&about.net, about.resize) != (&config.net, config.resize) => {
            Some(for_file_net(config, about.net, about.resize))
        }
        _ => None,
    };
    let config = file_net.as_ref().unwrap_or(config);
    let data_io = super::setup::data_io(worker);
    if config.net.io() != data_io {
        return Err(WeightsFailure::NotForData {
            name: name.to_string(),
            net: config.net.io(),
            data: data_io,
        });
    }
    let autodiff = device.clone().inner().autodiff();
    let (model, about) =
        weights::from_bytes(bytes, &config.net, config.resize, &autodiff).map_err(in_file)?;
    let test = data.1.truncated(config.test_limit.unwrap_or(usize::MAX));
    let resize = Resize::to(config.resize);
    let backend = backend.short_name();
    let evaluation = training::evaluate(&model, &test, &resize, config.batch_size, &device, backend)
        .await
        .map_err(|e| WeightsFailure::Evaluate {
            name: name.to_string(),
            problem: e,
        })?;
    let description = about.as_ref().map(|about| about.description.clone());
    let trained_epochs = about
        .as_ref()
        .and_then(|about| about.results.as_ref())
        .map(|results| results.epochs);
    let loaded = InsideWeights::LoadedFrom {
        name: name.to_string(),
    };
    let about = about.unwrap_or_else(|| {
        let state = WeightsState::LoadedFrom {
            name: name.to_string(),
        };
        About::of_run(config, None, state)
    });
    post_report(Report::WeightsLoaded {
        name: name.to_string(),
        description,
        trained_epochs,
        net: config.net.clone(),
        resize: config.resize,
        test_acc: evaluation.confusion.accuracy(),
        test_images: test.len(),
    });
    let when = PredictionsWhen::WithWeightsOf {
        name: name.to_string(),
    };
    inside::post_predictions(when, &evaluation.predicted, &test);
    worker.kept.keep(model, about, loaded);
    Ok(())
}

/// `config` for a file's own net: evaluated at the form's batch size, or
/// the book's for that net if smaller (a LeNet batch may not fit AlexNet).
fn for_file_net(config: &TrainConfig, net: NetConfig, resize: usize) -> TrainConfig {
    let book_batch = TrainConfig::book(net.arch()).batch_size;
    TrainConfig {
        batch_size: config.batch_size.min(book_batch),
        net,
        resize,
        ..config.clone()
    }
}
