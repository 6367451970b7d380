//! The worker's side of looking inside the net: which model answers a
//! `LookInside` (the running one, the last one kept, or a fresh one), what
//! the test images are, and what the net predicts for them.

use std::rc::Rc;

use burn::tensor::{Device, Tensor};

use super::Worker;
use crate::arch::NetConfig;
use crate::data::{Dataset, ImageFormat, Resize, SIDE};
use crate::model::Net;
use crate::protocol::{
    Command, ExplainAsk, FiltersShape, InsideError, InsideWeights, PictureRef, PredictionsWhen, Report,
};
use crate::training::explain::{ExplainError, Explainer, Explanation};
use crate::training::{self, TrainConfig};
use crate::web::channel::{Envelope, Slot, post_report};

/// One `LookInside`, with its picture's pixels when it is the user's own.
#[derive(Clone, Debug)]
pub(super) struct InsideRequest {
    pub net: NetConfig,
    pub resize: usize,
    pub picture: PictureRef,
    pub own: Option<Vec<u8>>,
    pub layer: Vec<usize>,
    pub explain: Option<ExplainAsk>,
}

impl From<Envelope<Command>> for InsideRequest {
    fn from(command: Envelope<Command>) -> InsideRequest {
        let own = command
            .filled()
            .contains(&Slot::Pixels)
            .then(|| command.bytes(Slot::Pixels));
        match command.message {
            Command::LookInside {
                net,
                resize,
                picture,
                layer,
                explain,
            } => InsideRequest {
                net,
                resize,
                picture,
                own,
                layer,
                explain,
            },
            other => unreachable!("not a look inside: {other:?}"),
        }
    }
}

impl InsideRequest {
    pub fn is_for(&self, net: &NetConfig, resize: usize) -> bool {
        self.net == *net && self.resize == resize
    }
}

/// Answers a look inside: between the steps of the run that holds its net's
/// model, or now.
pub(super) fn look(worker: Rc<Worker>, request: InsideRequest) {
    let running = worker.control.running.borrow().clone();
    if let Some(config) = running
        && request.is_for(&config.net, config.resize)
    {
        *worker.control.inside_waiting.borrow_mut() = Some(request);
        return;
    }
    let Some((device, backend)) = worker.device() else {
        return failed(InsideError::NoBackend);
    };
    wasm_bindgen_futures::spawn_local(async move {
        let data = worker.data();
        let test = data.as_ref().map(|data| &data.1);
        answer_idle(&worker, request, test, &device, backend.short_name()).await;
    });
}

/// Answers `request` with the kept model when it is of that net, else
/// with a fresh one (kept for the next request).
pub(super) async fn answer_idle(
    worker: &Worker,
    request: InsideRequest,
    test: Option<&Dataset>,
    device: &Device,
    backend: &str,
) {
    let (model, weights) = match worker.kept.model_and_weights(&request.net, request.resize) {
        Some(kept) => kept,
        None => match worker.kept.keep_untrained(&request.net, request.resize, device) {
            Ok(fresh) => fresh,
            Err(problem) => return failed(InsideError::Look { problem }),
        },
    };
    answer(&request, &model, weights, test, device, backend).await;
}

pub(super) fn failed(error: InsideError) {
    post_report(Report::InsideFailed { error });
}

/// The request's picture as levels of `format` (a test image's own; one's
/// own 28×28 grey picture in every channel the net takes), and its label
/// when it is a test image.
fn picture(
    request: &InsideRequest,
    test: Option<&Dataset>,
) -> Result<(Vec<u8>, ImageFormat, Option<u8>), InsideError> {
    match (request.picture, &request.own) {
        (PictureRef::Own, Some(pixels)) if pixels.len() == SIDE * SIDE => {
            let channels = request.net.in_channels();
            let format = ImageFormat {
                channels,
                ..ImageFormat::FASHION
            };
            Ok((pixels.repeat(channels), format, None))
        }
        (PictureRef::Own, _) => Err(InsideError::OwnPictureMalformed { side: SIDE }),
        (PictureRef::Test { index }, _) => match test {
            None => Err(InsideError::NoData),
            Some(test) if index >= test.len() => Err(InsideError::NoSuchTestImage {
                index,
                count: test.len(),
            }),
            Some(test) => Ok((test.image(index).to_vec(), test.format(), Some(test.label(index)))),
        },
    }
}

/// Runs `model` on the request's picture and posts what it saw.
pub(super) async fn answer(
    request: &InsideRequest,
    model: &Net,
    weights: InsideWeights,
    test: Option<&Dataset>,
    device: &Device,
    backend: &str,
) {
    let (pixels, format, label) = match picture(request, test) {
        Ok(picture) => picture,
        Err(error) => return failed(error),
    };
    let one = Dataset::of_format(format, pixels.clone(), vec![label.unwrap_or(0)])
        .expect("one image of its format");
    let batch = one.batch(&[0], &Resize::to(request.resize));
    let image = training::image_tensor(&batch, device);
    let (explained, residual_maps) = match request.explain {
        Some(ask) => match explain(model, image.clone(), label, &request.layer, ask, backend).await {
            Ok((explanation, maps)) => (Some(Ok(explanation)), maps),
            Err(error) => (Some(Err(error)), vec![]),
        },
        None => (None, vec![]),
    };
    match training::look_inside(model, image, &request.layer, backend).await {
        Ok(look) => {
            let filters = look.filters.as_ref();
            let report = Report::Inside {
                picture: request.picture,
                label,
                layer: look.layer.clone(),
                shape: look.shape.clone(),
                probabilities: look.probabilities.clone(),
                filters: filters.map(|f| FiltersShape {
                    shape: f.shape,
                    in_channels: f.in_channels,
                }),
                weights,
                format,
                explained,
            };
            post_report(
                Envelope::new(report)
                    .with_floats(Slot::Values, &look.values)
                    .with_floats(Slot::Filters, filters.map_or(&[][..], |f| f.values.as_slice()))
                    .with_bytes(Slot::Pixels, &pixels)
                    .with_floats(Slot::ResidualMaps, &residual_maps),
            );
        }
        Err(e) => failed(InsideError::Look { problem: e }),
    }
}

/// The arithmetic behind the value `ask` names of the row at `layer`,
/// from a forward pass of its own on the same picture and weights; for a
/// residual block, its f(x), shortcut and sum maps of the value's channel.
async fn explain(
    model: &Net,
    image: Tensor<4>,
    label: Option<u8>,
    layer: &[usize],
    ask: ExplainAsk,
    backend: &str,
) -> Result<(Box<Explanation>, Vec<f32>), ExplainError> {
    let explainer = Explainer::new(model, image, ask.mode, label.map(usize::from));
    let explained = explainer.explain(layer, ask.at, backend).await?;
    let maps = explained.maps.map_or(vec![], |maps| maps.channel(ask.at.channel));
    Ok((Box::new(explained.explanation), maps))
}

/// Evaluates `model` on the run's test images and posts the predictions:
/// for a run that pauses or stops within an epoch, whose last evaluation
/// is of older weights (or missing).
pub(super) async fn evaluate_now(
    model: &Net,
    config: &TrainConfig,
    test: &Dataset,
    device: &Device,
    backend: &str,
    when: PredictionsWhen,
) {
    let test = test.truncated(config.test_limit.unwrap_or(usize::MAX));
    let resize = Resize::to(config.resize);
    match training::evaluate(model, &test, &resize, config.batch_size, device, backend).await {
        Ok(evaluation) => post_predictions(when, &evaluation.predicted, &test),
        Err(e) => failed(InsideError::Evaluate { problem: e }),
    }
}

/// The grey levels and labels of test images, as one transfer.
pub(super) fn test_images(worker: &Worker, indices: &[usize]) {
    let Some(data) = worker.data() else {
        return failed(InsideError::NoData);
    };
    let test = &data.1;
    let found: Vec<usize> = indices.iter().copied().filter(|&i| i < test.len()).collect();
    let mut pixels = Vec::with_capacity(found.len() * test.format().len());
    for &i in &found {
        pixels.extend_from_slice(test.image(i));
    }
    let labels = found.iter().map(|&i| test.label(i)).collect();
    let report = Report::TestImages {
        indices: found,
        labels,
        format: test.format(),
    };
    post_report(Envelope::new(report).with_bytes(Slot::Pixels, &pixels));
}

/// Each evaluated test image's predicted class and label, as one transfer.
pub(super) fn post_predictions(when: PredictionsWhen, predicted: &[u8], test: &Dataset) {
    let labels: Vec<u8> = (0..predicted.len().min(test.len()))
        .map(|i| test.label(i))
        .collect();
    post_report(
        Envelope::new(Report::Predictions { when })
            .with_bytes(Slot::Predicted, predicted)
            .with_bytes(Slot::Labels, &labels),
    );
}
