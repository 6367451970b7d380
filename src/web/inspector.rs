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

/// A model kept to be looked at between runs.
struct Kept {
    net: NetConfig,
    resize: usize,
    model: Net,
    /// What its weights are, as the page says it.
    weights: String,
}

#[derive(Default)]
pub struct Inspector {
    kept: RefCell<Option<Kept>>,
    /// The latest request made while a run of its net holds the model:
    /// answered between two of its steps.
    waiting: RefCell<Option<Request>>,
}

impl Inspector {
    /// Keeps the model a run ended with, to be looked at after it.
    pub fn keep(&self, config: &TrainConfig, model: Net, weights: String) {
        *self.kept.borrow_mut() = Some(Kept {
            net: config.net.clone(),
            resize: config.resize,
            model,
            weights,
        });
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
            .is_some_and(|kept| request.is_for(&kept.net, kept.resize));
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
            self.keep(&config, model, "untrained: random filters".to_string());
        }
        let (model, weights) = {
            let kept = self.kept.borrow();
            let kept = kept.as_ref().expect("kept above");
            (kept.model.clone(), kept.weights.clone())
        };
        answer(&request, &model, &weights, test, device, backend).await;
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
    match training::inspect(model, image, &request.layer, backend).await {
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
