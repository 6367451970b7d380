//! What the page knows about the inside of the net: the row and picture
//! chosen, the worker's last answer, each epoch's predictions, and the
//! test images fetched for the gallery.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::data::ImageFormat;
use crate::i18n::page_inside::PictureSource;
use crate::picture::PictureNote;
use crate::protocol::{FiltersShape, InsideError, InsideWeights, PictureRef, PredictionsWhen, Report};
use crate::training::explain::{ExplainError, ExplainMode, Explanation, Position};
use crate::web::channel::{Envelope, Slot};

/// The worker's answer to a look inside (`Report::Inside`), with its data.
#[derive(Clone, Debug, PartialEq)]
pub struct InsideAnswer {
    pub picture: PictureRef,
    pub label: Option<u8>,
    pub layer: Vec<usize>,
    /// The row's output shape (`[1, C, H, W]` or `[1, F]`); empty for none.
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
    pub probabilities: Vec<f32>,
    pub filters: Option<(FiltersShape, Vec<f32>)>,
    /// The picture's levels (28×28 grey for Fashion-MNIST), of `format`.
    pub pixels: Vec<u8>,
    pub format: ImageFormat,
    pub weights: InsideWeights,
    /// How the row computes the value asked for, when one was.
    pub explained: Option<Result<Box<Explanation>, ExplainError>>,
    /// For a residual block's value: f(x), the shortcut and their sum, the
    /// value's channel of each (H×W, one after another).
    pub residual_maps: Vec<f32>,
}

impl InsideAnswer {
    /// The row's value at `at`, as its maps show it.
    pub fn value_at(&self, at: Position) -> Option<f32> {
        self.values.get(at.index(&self.shape)?).copied()
    }
}

/// One epoch's class for every evaluated test image, and their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Predictions {
    /// When they were made: "after epoch 2", "when paused at …".
    pub when: PredictionsWhen,
    pub predicted: Vec<u8>,
    pub labels: Vec<u8>,
}

impl Predictions {
    /// The evaluated images that pass the gallery's filters, in order.
    pub fn matching(&self, mistakes_only: bool, cell: Option<(usize, usize)>) -> Vec<usize> {
        (0..self.predicted.len().min(self.labels.len()))
            .filter(|&i| {
                let (label, predicted) = (self.labels[i] as usize, self.predicted[i] as usize);
                match cell {
                    Some(cell) => cell == (label, predicted),
                    None => !mistakes_only || label != predicted,
                }
            })
            .collect()
    }
}

/// A test image the gallery shows: its label, its format and its levels.
pub type TestImage = (u8, ImageFormat, Vec<u8>);

/// The user's own picture, made into a Fashion-MNIST image.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnPicture {
    pub pixels: Vec<u8>,
    /// What was done to it (inverted, transparency), when anything was.
    pub note: Option<PictureNote>,
    /// Where it came from: the drawing pad, a file.
    pub source: PictureSource,
}

#[derive(Clone, Copy)]
pub struct Inside {
    /// The user has asked to look (a row clicked, a picture picked): from
    /// then on the data loads and the worker is asked.
    pub active: RwSignal<bool>,
    /// The worker holds the test images.
    pub data_loaded: RwSignal<bool>,
    /// The row path clicked in the table.
    pub layer: RwSignal<Option<Vec<usize>>>,
    pub picture: RwSignal<PictureRef>,
    pub own: RwSignal<Option<OwnPicture>>,
    /// The worker's last answer.
    pub answer: RwSignal<Option<InsideAnswer>>,
    /// Why the last picture or answer failed.
    pub problem: RwSignal<Option<InsideError>>,
    pub predictions: RwSignal<Option<Predictions>>,
    /// Test images fetched so far, by index.
    pub images: RwSignal<BTreeMap<usize, TestImage>>,
    pub mistakes_only: RwSignal<bool>,
    /// The confusion-matrix cell clicked: (true class, predicted class).
    pub cell: RwSignal<Option<(usize, usize)>>,
    /// The gallery's first shown image, among those that match.
    pub gallery_start: RwSignal<usize>,
    /// Every channel, not only the first `MAPS_SHOWN`.
    pub show_all: RwSignal<bool>,
    /// The value of a row asked about ("how this row computes"): the
    /// row's path and the position in its output.
    pub explain: RwSignal<Option<(Vec<usize>, Position)>>,
    /// With batch norm and dropout as evaluation or training has them.
    pub explain_mode: RwSignal<ExplainMode>,
}

impl Inside {
    pub fn new() -> Inside {
        Inside {
            active: RwSignal::new(false),
            data_loaded: RwSignal::new(false),
            layer: RwSignal::new(None),
            picture: RwSignal::new(PictureRef::Test { index: 0 }),
            own: RwSignal::new(None),
            answer: RwSignal::new(None),
            problem: RwSignal::new(None),
            predictions: RwSignal::new(None),
            images: RwSignal::new(BTreeMap::new()),
            mistakes_only: RwSignal::new(false),
            cell: RwSignal::new(None),
            gallery_start: RwSignal::new(0),
            show_all: RwSignal::new(false),
            explain: RwSignal::new(None),
            explain_mode: RwSignal::new(ExplainMode::Eval),
        }
    }
}

impl Inside {
    /// What a report about the inside of the net changes.
    pub fn on_report(&self, envelope: &Envelope<Report>) {
        match &envelope.message {
            Report::Inside {
                picture,
                label,
                layer,
                shape,
                probabilities,
                filters,
                weights,
                format,
                explained,
            } => {
                self.problem.set(None);
                self.answer.set(Some(InsideAnswer {
                    picture: *picture,
                    label: *label,
                    layer: layer.clone(),
                    shape: shape.clone(),
                    values: envelope.floats(Slot::Values),
                    probabilities: probabilities.clone(),
                    filters: filters.map(|shape| (shape, envelope.floats(Slot::Filters))),
                    pixels: envelope.bytes(Slot::Pixels),
                    format: *format,
                    weights: weights.clone(),
                    explained: explained.clone(),
                    residual_maps: envelope.floats(Slot::ResidualMaps),
                }));
            }
            Report::InsideFailed { error } => self.problem.set(Some(error.clone())),
            Report::TestImages {
                indices,
                labels,
                format,
            } => {
                let pixels = envelope.bytes(Slot::Pixels);
                let each = pixels.chunks_exact(format.len().max(1));
                self.images.update(|images| {
                    for ((index, label), image) in indices.iter().zip(labels).zip(each) {
                        images.insert(*index, (*label, *format, image.to_vec()));
                    }
                });
            }
            Report::Predictions { when } => self.predictions.set(Some(Predictions {
                when: when.clone(),
                predicted: envelope.bytes(Slot::Predicted),
                labels: envelope.bytes(Slot::Labels),
            })),
            _ => {}
        }
    }
}

impl Default for Inside {
    fn default() -> Self {
        Inside::new()
    }
}
