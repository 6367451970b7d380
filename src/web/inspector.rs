//! The worker's side of looking inside the net: which model answers an
//! `Inspect` (the running one, the last one trained, or a fresh one), and
//! how its answer crosses to the page (typed arrays, transferred).

use std::cell::RefCell;

use burn::tensor::Device;
use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::JsValue;

use crate::arch::NetConfig;
use crate::data::{Dataset, Resize, SIDE};
use crate::model::Net;
use crate::training::{self, TrainConfig};
use crate::web::protocol::{FiltersShape, PictureRef, Report};
use crate::weights::{self, About};

/// One `Inspect`, with its picture's pixels when it is the user's own.
#[derive(Clone, Debug)]
pub struct Request {
    pub net: NetConfig,
    pub resize: usize,
    pub picture: PictureRef,
    pub own: Option<Vec<u8>>,
    pub layer: Vec<usize>,
}

impl Request {
    fn is_for(&self, net: &NetConfig, resize: usize) -> bool {
        self.net == *net && self.resize == resize
    }
}

/// A model kept to be looked at, saved, or trained on between runs.
struct Kept {
    model: Net,
    /// Which net, at which size, trained how: what a saved file says.
    about: About,
    /// What its weights are, as the page says it.
    weights: String,
}

#[derive(Default)]
pub struct Inspector {
    kept: RefCell<Option<Kept>>,
    /// The latest request made while a run of its net holds the model:
    /// answered between two of its steps.
    waiting: RefCell<Option<Request>>,
    /// A `SaveWeights` made during a run, answered between two steps.
    pub save_waiting: std::cell::Cell<bool>,
}

impl Inspector {
    /// Keeps a model (a run's, a loaded one) to be looked at, saved or
    /// trained on after it.
    pub fn keep(&self, model: Net, about: About, weights: String) {
        *self.kept.borrow_mut() = Some(Kept {
            model,
            about,
            weights,
        });
    }

    /// The kept model, if it is of `net` at `resize` (to train on).
    pub fn kept_for(&self, net: &NetConfig, resize: usize) -> Option<Net> {
        let kept = self.kept.borrow();
        let kept = kept.as_ref()?;
        (kept.about.net == *net && kept.about.resize == resize).then(|| kept.model.clone())
    }

    /// Posts the kept model as a weights file.
    pub async fn save(&self) {
        let kept = self
            .kept
            .borrow()
            .as_ref()
            .map(|kept| (kept.model.clone(), kept.about.clone()));
        match kept {
            Some((model, about)) => post_weights(&model, &about).await,
            None => super::worker::post(&Report::WeightsFailed {
                message: "there are no weights yet: train the net, or look inside it, first".to_string(),
            }),
        }
    }

    /// Lets a model go (a run is about to make its own).
    pub fn forget(&self) {
        self.kept.borrow_mut().take();
    }

    /// Holds `request` for the run of `running`, if it is for that net;
    /// gives it back otherwise.
    pub fn wait_for_run(&self, request: Request, running: Option<&TrainConfig>) -> Option<Request> {
        match running {
            Some(config) if request.is_for(&config.net, config.resize) => {
                *self.waiting.borrow_mut() = Some(request);
                None
            }
            _ => Some(request),
        }
    }

    /// The request waiting for the run, if any.
    pub fn take_waiting(&self) -> Option<Request> {
        self.waiting.borrow_mut().take()
    }

    /// Answers `request` with the kept model when it is of that net, else
    /// with a fresh one (kept for the next request).
    pub async fn answer_idle(
        &self,
        request: Request,
        test: Option<&Dataset>,
        device: &Device,
        backend: &str,
    ) {
        let matches = self
            .kept
            .borrow()
            .as_ref()
            .is_some_and(|kept| request.is_for(&kept.about.net, kept.about.resize));
        if !matches {
            let config = TrainConfig {
                net: request.net.clone(),
                resize: request.resize,
                ..TrainConfig::book(request.net.arch())
            };
            let model = match training::init_model(&config, &device.clone().inner().autodiff()) {
                Ok(model) => model,
                Err(e) => return failed(e.to_string()),
            };
            let about = About::of_run(&config, None, "untrained");
            self.keep(model, about, "untrained: random filters".to_string());
        }
        let (model, weights) = {
            let kept = self.kept.borrow();
            let kept = kept.as_ref().expect("kept above");
            (kept.model.clone(), kept.weights.clone())
        };
        answer(&request, &model, &weights, test, device, backend).await;
    }
}

/// Posts `model` as a weights file named after its net (written from a
/// CPU copy: Burn's store reads synchronously, WebGPU cannot).
pub async fn post_weights(model: &Net, about: &About) {
    let bytes = match weights::to_cpu(model, &about.net, about.resize).await {
        Ok(cpu) => weights::to_bytes(&cpu, about),
        Err(e) => Err(e),
    };
    match bytes {
        Ok(bytes) => {
            let file_name = format!("{}-{}px.safetensors", about.net.arch().id(), about.resize);
            let buffer: JsValue = Uint8Array::from(bytes.as_slice()).buffer().into();
            super::worker::post_with(&Report::WeightsFile { file_name }, &[buffer]);
        }
        Err(e) => super::worker::post(&Report::WeightsFailed {
            message: format!("the weights could not be saved: {e}"),
        }),
    }
}

/// Loads a weights file for `net` at `resize`: checked whole first, so a
/// bad one changes nothing; then kept, evaluated on the test images and
/// shown in the gallery.
#[allow(clippy::too_many_arguments)]
pub async fn load(
    inspector: &Inspector,
    bytes: &[u8],
    name: &str,
    config: &TrainConfig,
    test: Option<&Dataset>,
    device: &Device,
    backend: &str,
) {
    let fail = |message: String| super::worker::post(&Report::WeightsFailed { message });
    let Some(test) = test else {
        return fail("the test images are not loaded yet".to_string());
    };
    // A file of ours says which net it holds (edits and input size too):
    // that net is built, whatever the form shows, and the page follows it.
    // A file from PyTorch says nothing: it is read as the form's net.
    let file_net = match weights::read_about(bytes) {
        Ok(Some(about)) if (&about.net, about.resize) != (&config.net, config.resize) => {
            Some(for_file_net(config, about.net, about.resize))
        }
        Ok(_) => None,
        Err(e) => return fail(format!("{name}: {e}")),
    };
    let config = file_net.as_ref().unwrap_or(config);
    let autodiff = device.clone().inner().autodiff();
    let (model, about) = match weights::from_bytes(bytes, &config.net, config.resize, &autodiff) {
        Ok(loaded) => loaded,
        Err(e) => return fail(format!("{name}: {e}")),
    };
    let test = test.truncated(config.test_limit.unwrap_or(usize::MAX));
    let resize = Resize::to(config.resize);
    let evaluation =
        match training::evaluate(&model, &test, &resize, config.batch_size, device, backend).await {
            Ok(evaluation) => evaluation,
            Err(e) => return fail(format!("{name}: evaluating it failed: {e}")),
        };
    let description = about.as_ref().map(|about| about.description.clone());
    let about = about.unwrap_or_else(|| About::of_run(config, None, &format!("loaded from {name}")));
    super::worker::post(&Report::WeightsLoaded {
        name: name.to_string(),
        description,
        net: config.net.clone(),
        resize: config.resize,
        test_acc: evaluation.confusion.accuracy(),
        test_images: test.len(),
    });
    post_predictions(
        format!("with the weights of {name}"),
        &evaluation.predicted,
        &test,
    );
    inspector.keep(model, about, format!("loaded from {name}"));
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

fn failed(message: String) {
    super::worker::post(&Report::InspectFailed { message });
}

/// Runs `model` on the request's picture and posts the `Inspection`.
pub async fn answer(
    request: &Request,
    model: &Net,
    weights: &str,
    test: Option<&Dataset>,
    device: &Device,
    backend: &str,
) {
    let (pixels, label) = match (request.picture, &request.own) {
        (PictureRef::Own, Some(pixels)) if pixels.len() == SIDE * SIDE => (pixels.clone(), None),
        (PictureRef::Own, _) => {
            return failed(format!(
                "your picture did not arrive as {SIDE}×{SIDE} grey levels"
            ));
        }
        (PictureRef::Test { index }, _) => match test {
            None => return failed("the test images are not loaded yet".to_string()),
            Some(test) if index >= test.len() => {
                return failed(format!(
                    "there is no test image {index}: the test set has {}",
                    test.len()
                ));
            }
            Some(test) => (test.image(index).to_vec(), Some(test.label(index))),
        },
    };
    let one = Dataset::new(pixels.clone(), vec![label.unwrap_or(0)]).expect("one 28×28 image");
    let batch = one.batch(&[0], &Resize::to(request.resize));
    let image = training::image_tensor(&batch, device);
    match training::look_inside(model, image, &request.layer, backend).await {
        Ok(seen) => {
            let filters = seen.filters.as_ref();
            let buffers = [
                Float32Array::from(seen.values.as_slice()).buffer().into(),
                Float32Array::from(filters.map_or(&[][..], |f| f.values.as_slice()))
                    .buffer()
                    .into(),
                Uint8Array::from(pixels.as_slice()).buffer().into(),
            ];
            let report = Report::Inspection {
                picture: request.picture,
                label,
                layer: seen.layer,
                shape: seen.shape,
                probabilities: seen.probabilities,
                filters: seen.filters.as_ref().map(|f| FiltersShape {
                    shape: f.shape,
                    in_channels: f.in_channels,
                }),
                weights: weights.to_string(),
            };
            super::worker::post_with(&report, &buffers);
        }
        Err(e) => failed(e.to_string()),
    }
}

/// Evaluates `model` on the run's test images and posts the predictions:
/// for a run that pauses or stops within an epoch, whose last evaluation
/// is of older weights (or missing).
pub async fn evaluate_now(
    model: &Net,
    config: &TrainConfig,
    test: &Dataset,
    device: &Device,
    backend: &str,
    when: String,
) {
    let test = test.truncated(config.test_limit.unwrap_or(usize::MAX));
    let resize = Resize::to(config.resize);
    match training::evaluate(model, &test, &resize, config.batch_size, device, backend).await {
        Ok(evaluation) => post_predictions(when, &evaluation.predicted, &test),
        Err(e) => failed(format!("evaluating the test images failed: {e}")),
    }
}

/// The grey levels and labels of test images, as one transfer.
pub fn test_images(test: &Dataset, indices: &[usize]) {
    let found: Vec<usize> = indices.iter().copied().filter(|&i| i < test.len()).collect();
    let mut pixels = Vec::with_capacity(found.len() * SIDE * SIDE);
    for &i in &found {
        pixels.extend_from_slice(test.image(i));
    }
    let labels = found.iter().map(|&i| test.label(i)).collect();
    let buffer: JsValue = Uint8Array::from(pixels.as_slice()).buffer().into();
    super::worker::post_with(
        &Report::TestImages {
            indices: found,
            labels,
        },
        &[buffer],
    );
}

/// Each evaluated test image's predicted class and label, as one transfer.
pub fn post_predictions(when: String, predicted: &[u8], test: &Dataset) {
    let labels: Vec<u8> = (0..predicted.len().min(test.len()))
        .map(|i| test.label(i))
        .collect();
    super::worker::post_with(
        &Report::Predictions { when },
        &[
            Uint8Array::from(predicted).buffer().into(),
            Uint8Array::from(labels.as_slice()).buffer().into(),
        ],
    );
}
