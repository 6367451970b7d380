//! The page's state: the chosen net and settings (what a link can carry),
//! and what the training worker last reported.

use leptos::prelude::*;

use crate::arch::{Arch, NetConfig, NetIo, edit};
use crate::bounds::{Bounds, Number};
use crate::i18n::page_train::{FieldProblem, FormField};
use crate::i18n::{Lang, Say};
use crate::shape::{ShapeError, ShapeTable};
use crate::training::{BackendChoice, OptimizerKind, TrainConfig};

/// The settings a user picks; text fields stay text until validated, so a
/// half-typed number is not lost or silently replaced.
#[derive(Clone, Copy)]
pub struct Settings {
    pub arch: RwSignal<Arch>,
    pub resize: RwSignal<String>,
    /// The text of each of the net's editable fields (`edit::fields`), by
    /// key, as typed: VGG's width ratio is one of them.
    pub edits: RwSignal<Vec<(&'static str, String)>>,
    /// The book's exercise the net was last set to, if any (its question
    /// is shown beside the editor).
    pub preset: RwSignal<Option<&'static str>>,
    pub lr: RwSignal<String>,
    pub batch: RwSignal<String>,
    pub epochs: RwSignal<String>,
    pub optimizer: RwSignal<OptimizerKind>,
    pub train_limit: RwSignal<String>,
    pub test_limit: RwSignal<String>,
    pub backend: RwSignal<BackendChoice>,
    /// Measure each layer's gradient at every step (the gradient view).
    pub grad_norms: RwSignal<bool>,
    /// The data's channels and classes, which every net takes
    /// (Fashion-MNIST's, or those of the images of one's own held).
    pub io: RwSignal<NetIo>,
}

pub use crate::training::{BATCH, EPOCHS, LR, RESIZE, TEST_EXAMPLES, TRAIN_EXAMPLES};

/// `text` within `bounds`, or why not, naming the `field` that holds it.
pub fn parse<T: Number>(text: &str, bounds: Bounds<T>, field: FormField) -> Result<T, FieldProblem> {
    bounds.parse(text).map_err(|error| FieldProblem { field, error })
}

impl Settings {
    /// The book's settings for `arch`.
    pub fn new(arch: Arch) -> Settings {
        let settings = Settings {
            arch: RwSignal::new(arch),
            resize: RwSignal::new(String::new()),
            edits: RwSignal::new(vec![]),
            preset: RwSignal::new(None),
            lr: RwSignal::new(String::new()),
            batch: RwSignal::new(String::new()),
            epochs: RwSignal::new(String::new()),
            optimizer: RwSignal::new(OptimizerKind::Sgd),
            train_limit: RwSignal::new(TRAIN_EXAMPLES.max.to_string()),
            test_limit: RwSignal::new(TEST_EXAMPLES.max.to_string()),
            backend: RwSignal::new(BackendChoice::Auto),
            grad_norms: RwSignal::new(false),
            io: RwSignal::new(NetIo::default()),
        };
        settings.reset_to_book(arch);
        settings
    }

    /// Picks `arch` with the book's settings for it, on all the data.
    pub fn reset_to_book(&self, arch: Arch) {
        self.use_setup(Setup::Book, arch);
    }

    /// Picks `arch` with its quick setting (`TrainConfig::quick`).
    pub fn use_quick(&self, arch: Arch) {
        self.use_setup(Setup::Quick, arch);
    }

    /// Picks `arch` with `setup`.
    pub fn use_setup(&self, setup: Setup, arch: Arch) {
        self.apply(arch, &setup.config(arch));
    }

    /// Fills the form with a run's settings ("run again").
    pub fn fill(&self, config: &TrainConfig) {
        self.apply(config.net.arch(), config);
        self.grad_norms.set(config.grad_norms);
    }

    /// Shows `net` in the editor's fields.
    pub fn set_net(&self, net: &NetConfig) {
        self.edits.set(
            edit::fields(net)
                .into_iter()
                .map(|field| (field.key, field.value))
                .collect(),
        );
    }

    /// Shows `net` at input side `resize` (a loaded weights file's) if the
    /// form shows another net or size: another kind of net comes with its
    /// book settings, as a click on its card does. Says what changed.
    /// `Some(was)` when it switched, `was` the net and side it showed
    /// (`None`: settings with problems).
    pub fn show_net(&self, net: &NetConfig, resize: usize) -> Option<Option<(NetConfig, usize)>> {
        let shown = self.net().ok();
        let shown_resize = parse(&self.resize.get_untracked(), RESIZE, FormField::InputSize).ok();
        if shown.as_ref() == Some(net) && shown_resize == Some(resize) {
            return None;
        }
        let was = shown.zip(shown_resize);
        if net.arch() != self.arch.get_untracked() {
            self.reset_to_book(net.arch());
        }
        self.set_net(net);
        self.resize.set(resize.to_string());
        self.preset.set(None);
        Some(was)
    }

    /// The book's net in the editor, at the book's input size.
    pub fn reset_net(&self) {
        let arch = self.arch.get_untracked();
        self.set_net(&NetConfig::default_for(arch));
        self.resize.set(Setup::Book.config(arch).resize.to_string());
        self.preset.set(None);
    }

    /// Sets the net to one of the book's exercises (and the input size it
    /// needs).
    pub fn use_preset(&self, preset: &edit::Preset) {
        self.set_net(&preset.net);
        if let Some(resize) = preset.resize {
            self.resize.set(resize.to_string());
        }
        self.preset.set(Some(preset.id));
        // The gradient view is what the deep pair is for.
        if preset.id.starts_with("deep-") {
            self.grad_norms.set(true);
        }
    }

    /// The text of field `key`.
    pub fn edit_text(&self, key: &str) -> Option<String> {
        self.edits.with(|edits| {
            edits
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, text)| text.clone())
        })
    }

    /// Changes the text of field `key`.
    pub fn set_edit(&self, key: &'static str, text: String) {
        self.edits
            .update(|edits| match edits.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = text,
                None => edits.push((key, text)),
            });
    }

    /// Why field `key`'s text is not a value for it, if it is not.
    pub fn edit_error(&self, key: &str) -> Option<edit::EditError> {
        let text = self.edit_text(key)?;
        edit::set(&NetConfig::default_for(self.arch.get()), key, &text).err()
    }

    /// Fills the form from `preset`, all but the backend.
    fn apply(&self, arch: Arch, preset: &TrainConfig) {
        self.arch.set(arch);
        self.resize.set(preset.resize.to_string());
        self.optimizer.set(preset.optimizer);
        self.lr.set(preset.lr.to_string());
        self.batch.set(preset.batch_size.to_string());
        self.epochs.set(preset.epochs.to_string());
        self.set_net(&preset.net);
        self.preset.set(None);
        let limit = |limit: Option<usize>, bounds: Bounds<usize>| limit.unwrap_or(bounds.max).to_string();
        self.train_limit.set(limit(preset.train_limit, TRAIN_EXAMPLES));
        self.test_limit.set(limit(preset.test_limit, TEST_EXAMPLES));
    }

    /// The net as described by the settings, for the data held.
    pub fn net(&self) -> Result<NetConfig, edit::EditError> {
        let mut net = NetConfig::default_for(self.arch.get());
        for (key, text) in self.edits.get() {
            net = edit::set(&net, key, &text)?;
        }
        Ok(net.with_io(self.io.get()))
    }

    /// The shape table at batch 1, or why there is none.
    pub fn table(&self) -> Result<ShapeTable, TableProblem> {
        let net = self.net().map_err(TableProblem::Net)?;
        let side = parse(&self.resize.get(), RESIZE, FormField::InputSize).map_err(TableProblem::Resize)?;
        ShapeTable::of(&net, 1, side).map_err(TableProblem::Shape)
    }

    /// The training run described by the settings, or every problem with them.
    pub fn train_config(&self) -> Result<TrainConfig, Vec<FormProblem>> {
        let mut problems = vec![];
        let mut take = |result: Result<f64, FieldProblem>| {
            result
                .map_err(|e| problems.push(FormProblem::Field(e)))
                .unwrap_or(0.0)
        };
        let resize = take(parse(&self.resize.get(), RESIZE, FormField::InputSize).map(|n| n as f64));
        let lr = take(parse(&self.lr.get(), LR, FormField::LearningRate));
        let batch = take(parse(&self.batch.get(), BATCH, FormField::BatchSize).map(|n| n as f64));
        let epochs = take(parse(&self.epochs.get(), EPOCHS, FormField::Epochs).map(|n| n as f64));
        let train =
            take(parse(&self.train_limit.get(), TRAIN_EXAMPLES, FormField::TrainImages).map(|n| n as f64));
        let test =
            take(parse(&self.test_limit.get(), TEST_EXAMPLES, FormField::TestImages).map(|n| n as f64));
        let net = self.net().map_err(|e| problems.push(FormProblem::Net(e))).ok();
        if !problems.is_empty() {
            return Err(problems);
        }
        let config = TrainConfig {
            net: net.expect("no problems"),
            epochs: epochs as usize,
            lr,
            batch_size: batch as usize,
            resize: resize as usize,
            optimizer: self.optimizer.get(),
            weight_decay: 0.0,
            seed: 0,
            train_limit: Some(train as usize),
            test_limit: Some(test as usize),
            grad_norms: self.grad_norms.get(),
            grad_norms_every: 1,
        };
        match config.problems() {
            problems if problems.is_empty() => Ok(config),
            problems => Err(problems.into_iter().map(FormProblem::Config).collect()),
        }
    }
}

/// The two one-click setups of a net.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    Book,
    Quick,
}

impl Setup {
    pub fn config(self, arch: Arch) -> TrainConfig {
        match self {
            Setup::Book => TrainConfig::book(arch),
            Setup::Quick => TrainConfig::quick(arch),
        }
    }

    /// Whether the form's `config` is this setup: the same net, data and
    /// hyper-parameters.
    pub fn matches(self, config: &TrainConfig) -> bool {
        let preset = self.config(config.net.arch());
        let preset_net = preset.net.clone().with_io(config.net.io());
        let all = |limit: Option<usize>, bounds: Bounds<usize>| limit.unwrap_or(bounds.max).min(bounds.max);
        config.net == preset_net
            && config.resize == preset.resize
            && config.batch_size == preset.batch_size
            && config.epochs == preset.epochs
            && config.optimizer == preset.optimizer
            && config.lr == preset.lr
            && all(config.train_limit, TRAIN_EXAMPLES) == all(preset.train_limit, TRAIN_EXAMPLES)
            && all(config.test_limit, TEST_EXAMPLES) == all(preset.test_limit, TEST_EXAMPLES)
    }
}

/// Why the table cannot be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum TableProblem {
    /// The input size is not a valid number.
    Resize(FieldProblem),
    /// A field of the net's editor cannot be read.
    Net(edit::EditError),
    /// The net cannot take this input.
    Shape(ShapeError),
}

/// Why the form's settings make no run.
#[derive(Clone, Debug, PartialEq)]
pub enum FormProblem {
    /// A number field holds no number within its bounds.
    Field(FieldProblem),
    /// A field of the net's editor cannot be read.
    Net(edit::EditError),
    /// The settings do not go together (`TrainConfig::problems`).
    Config(crate::training::Problem),
}

impl Say for FormProblem {
    fn say(&self, lang: Lang) -> String {
        match self {
            FormProblem::Field(problem) => problem.say(lang),
            FormProblem::Net(error) => error.say(lang),
            FormProblem::Config(problem) => problem.say(lang),
        }
    }
}
