//! A playground setup as a link: the chosen net, its input size, VGG's
//! ratio and every training setting in the query string, plus the embed
//! options. Parsing never fails: what it cannot use it names in notices,
//! and the book's defaults stand for it.

mod data;

use serde::{Deserialize, Serialize};

pub use data::{AskedBy, AskedData, DataRequest};

use crate::arch::edit::{self, EditError};
use crate::arch::{Arch, NetConfig};
use crate::bounds::{self, Bounds};
use crate::i18n::Lang;
use crate::training::{
    BATCH, BackendChoice, EPOCHS, LR, OptimizerKind, RESIZE, TEST_EXAMPLES, TRAIN_EXAMPLES, TrainConfig,
};

/// VGG's width ratio.
pub const RATIO: Bounds<usize> = Bounds::new(1, 64);

/// Controls a course page may hide in an embedded playground (`hide=`).
pub const HIDEABLE: [&str; 11] = [
    "arch",
    "editor",
    "resize",
    "ratio",
    "lr",
    "batch",
    "epochs",
    "optimizer",
    "subset",
    "backend",
    "files",
];

/// Everything a link can say. `None` means: the default for the net, the
/// book's settings or, with `setup=quick`, its quick setting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    pub arch: Option<Arch>,
    /// `setup=quick`: the net's quick setting is the base the other
    /// parameters change (`setup=book`, the default: the book's settings).
    pub quick: bool,
    pub resize: Option<usize>,
    pub ratio: Option<usize>,
    /// The net with the link's edits (`edit=`, in `edit::to_query`'s form)
    /// and VGG's `ratio=`; `None`: the book's net.
    pub net: Option<NetConfig>,
    pub lr: Option<f64>,
    pub batch: Option<usize>,
    pub epochs: Option<usize>,
    pub optimizer: Option<OptimizerKind>,
    /// Training and test examples to use.
    pub train: Option<usize>,
    pub test: Option<usize>,
    /// `backend=auto|webgpu|cpu`.
    pub backend: BackendChoice,
    pub embed: bool,
    pub hide: Vec<String>,
    pub autostart: bool,
    /// `weights=PATH`: a weights file on the same site to load as the page
    /// opens (a relative path, or one from the site's root).
    pub weights: Option<String>,
    /// `lang=en|zh`: the reader's language (else the browser's).
    pub lang: Option<Lang>,
    /// `data=…&classes=…`: the run was on images of one's own, which the
    /// link names and does not carry; `None`: Fashion-MNIST.
    pub data: Option<AskedData>,
    /// One per parameter that was ignored, naming it and why.
    pub notices: Vec<Notice>,
}

/// A parameter of a link that was ignored, and why (said in both
/// languages: `crate::i18n::link`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// `lr=abc ignored: expected a number from 0.000001 to 10; the default stands`
    Ignored {
        key: String,
        value: String,
        expected: Wanted,
    },
    /// `unknown parameter 'colour' ignored`
    Unknown { key: String },
    /// `ratio ignored: only VGG has a width ratio`
    RatioNotVgg,
    /// `edit ignored: LeNet has no setting “nope”`
    Edit(EditError),
}

/// What a parameter's value should have been.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "wanted", rename_all = "snake_case")]
pub enum Wanted {
    /// A number within bounds.
    Number(bounds::Expected),
    /// One of the nets' ids (`Arch::ids`).
    Arch { ids: String },
    /// `quick` or `book`.
    Setup,
    /// `sgd`, `momentum` or `adam`.
    Optimizer,
    /// `auto`, `webgpu` or `cpu`.
    Backend,
    /// `1` or `0`.
    Flag,
    /// A weights file on the same site.
    SitePath,
    /// `en` or `zh`.
    Lang,
    /// Controls that can be hidden, not these.
    Hideable { unknown: Vec<String> },
    /// A name of at most 100 characters.
    DataName,
    /// 2 to `limit` class names, comma-separated.
    ClassNames { limit: usize },
    /// `1` (grey) or `3` (colour).
    Channels,
    /// 16 hexadecimal digits.
    Hash,
    /// `data=` and `classes=` together.
    WithData,
}

/// Decodes `%xx` and `+` of a query component; a stray `%` stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `value` within `bounds`, or what was expected.
fn within<T: crate::bounds::Number>(bounds: Bounds<T>, value: &str) -> Result<T, Wanted> {
    bounds.parse(value).map_err(|e| Wanted::Number(e.expected))
}

/// A path on this site: relative (`weights/lenet.safetensors`) or from the
/// root (`/course/lenet.safetensors`); no scheme, no other host.
fn site_path(value: &str) -> Result<String, Wanted> {
    let scheme = value.split('/').next().is_some_and(|first| first.contains(':'));
    let fine = !value.is_empty()
        && value.len() <= 500
        && !scheme
        && !value.starts_with("//")
        && !value.contains('\\')
        && value.chars().all(|c| !c.is_control());
    match fine {
        true => Ok(value.to_string()),
        false => Err(Wanted::SitePath),
    }
}

/// Percent-encodes what a query value cannot hold as it is.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn flag(value: &str) -> Result<bool, Wanted> {
    match value {
        "1" | "true" | "yes" | "" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(Wanted::Flag),
    }
}

impl Link {
    /// Reads a query string (with or without its leading `?`).
    pub fn parse(query: &str) -> Link {
        let mut link = Link::default();
        let mut edits = None;
        let mut data = data::DataParameters::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let (key, value) = (decode(key), decode(raw));
            let value = value.trim();
            let result: Result<(), Wanted> = match key.as_str() {
                "arch" => Arch::from_id(value)
                    .map(|arch| link.arch = Some(arch))
                    .ok_or_else(|| Wanted::Arch { ids: Arch::ids() }),
                "setup" => match value {
                    "quick" | "book" => {
                        link.quick = value == "quick";
                        Ok(())
                    }
                    _ => Err(Wanted::Setup),
                },
                "resize" => within(RESIZE, value).map(|n| link.resize = Some(n)),
                "ratio" => within(RATIO, value).map(|n| link.ratio = Some(n)),
                "edit" => {
                    edits = Some(value.to_string());
                    Ok(())
                }
                "lr" => within(LR, value).map(|x| link.lr = Some(x)),
                "batch" => within(BATCH, value).map(|n| link.batch = Some(n)),
                "epochs" => within(EPOCHS, value).map(|n| link.epochs = Some(n)),
                "optimizer" => OptimizerKind::from_id(value)
                    .map(|kind| link.optimizer = Some(kind))
                    .ok_or(Wanted::Optimizer),
                "train" => within(TRAIN_EXAMPLES, value).map(|n| link.train = Some(n)),
                "test" => within(TEST_EXAMPLES, value).map(|n| link.test = Some(n)),
                "backend" => BackendChoice::from_id(value)
                    .map(|choice| link.backend = choice)
                    .ok_or(Wanted::Backend),
                "embed" => flag(value).map(|on| link.embed = on),
                "autostart" => flag(value).map(|on| link.autostart = on),
                "weights" => site_path(value).map(|path| link.weights = Some(path)),
                "lang" => Lang::from_tag(value)
                    .map(|lang| link.lang = Some(lang))
                    .ok_or(Wanted::Lang),
                "data" => data::name(value).map(|name| data.name = Some(name)),
                "classes" => data::class_names(raw, decode).map(|names| data.classes = Some(names)),
                "channels" => data::channels(value).map(|n| data.channels = Some(n)),
                "hash" => data::hash(value).map(|hash| data.hash = Some(hash)),
                "hide" => {
                    let mut unknown = vec![];
                    for control in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                        match HIDEABLE.contains(&control) {
                            true => link.hide.push(control.to_string()),
                            false => unknown.push(control.to_string()),
                        }
                    }
                    match unknown.is_empty() {
                        true => Ok(()),
                        false => Err(Wanted::Hideable { unknown }),
                    }
                }
                _ => {
                    link.notices.push(Notice::Unknown { key });
                    continue;
                }
            };
            if let Err(expected) = result {
                link.notices.push(Notice::Ignored {
                    key,
                    value: value.to_string(),
                    expected,
                });
            }
        }
        let (asked, alone) = data.asked();
        link.data = asked;
        for key in alone {
            link.notices.push(Notice::Ignored {
                key: key.to_string(),
                value: String::new(),
                expected: Wanted::WithData,
            });
        }
        if link.ratio.is_some() && link.arch.is_some_and(|arch| arch != Arch::Vgg) {
            link.notices.push(Notice::RatioNotVgg);
            link.ratio = None;
        }
        let arch = link.arch.unwrap_or(Arch::LeNet);
        if let Some(edits) = edits {
            let (net, errors) = edit::from_query(arch, &edits);
            link.notices.extend(errors.into_iter().map(Notice::Edit));
            link.net = Some(net);
        }
        if let Some(ratio) = link.ratio {
            let net = link.net.take().unwrap_or_else(|| NetConfig::default_for(arch));
            link.net = Some(net.with_vgg_ratio(ratio));
        }
        link
    }

    /// The base the link's parameters change: the book's settings for the
    /// net, or its quick setting.
    pub fn base(&self) -> TrainConfig {
        let arch = self.arch.unwrap_or(Arch::LeNet);
        match self.quick {
            true => TrainConfig::quick(arch),
            false => TrainConfig::book(arch),
        }
    }

    /// The query string (with its `?`) for this setup, leaving out what
    /// equals the base (`Link::base`), and the notices.
    pub fn to_query(&self) -> String {
        let arch = self.arch.unwrap_or(Arch::LeNet);
        let base = self.base();
        let optimizer = self.optimizer.unwrap_or(base.optimizer);
        let mut pairs: Vec<(String, String)> = vec![("arch".into(), arch.id().into())];
        let mut put = |key: &str, value: String| pairs.push((key.to_string(), value));
        if self.quick {
            put("setup", "quick".to_string());
        }
        if let Some(resize) = self.resize.filter(|&r| r != base.resize) {
            put("resize", resize.to_string());
        }
        let ratio = self.net.as_ref().and_then(NetConfig::vgg_ratio).or(self.ratio);
        if let Some(ratio) = ratio.filter(|&r| arch == Arch::Vgg && r != 4) {
            put("ratio", ratio.to_string());
        }
        let edits = self
            .net
            .as_ref()
            .filter(|net| net.arch() == arch)
            .map(edit::to_query);
        if let Some(edits) = edits.filter(|edits| !edits.is_empty()) {
            put("edit", edits);
        }
        // Another optimizer than the base's starts from its own default rate.
        let base_lr = match optimizer == base.optimizer {
            true => base.lr,
            false => optimizer.default_lr(arch),
        };
        if let Some(lr) = self.lr.filter(|&lr| lr != base_lr) {
            put("lr", lr.to_string());
        }
        if let Some(batch) = self.batch.filter(|&b| b != base.batch_size) {
            put("batch", batch.to_string());
        }
        if let Some(epochs) = self.epochs.filter(|&e| e != base.epochs) {
            put("epochs", epochs.to_string());
        }
        if optimizer != base.optimizer {
            put("optimizer", optimizer.id().to_string());
        }
        if let Some(train) = self
            .train
            .filter(|&n| n != base.train_limit.unwrap_or(TRAIN_EXAMPLES.max))
        {
            put("train", train.to_string());
        }
        if let Some(test) = self
            .test
            .filter(|&n| n != base.test_limit.unwrap_or(TEST_EXAMPLES.max))
        {
            put("test", test.to_string());
        }
        if self.backend != BackendChoice::Auto {
            put("backend", self.backend.id().to_string());
        }
        if self.embed {
            put("embed", "1".to_string());
        }
        if !self.hide.is_empty() {
            put("hide", self.hide.join(","));
        }
        if self.autostart {
            put("autostart", "1".to_string());
        }
        if let Some(weights) = &self.weights {
            put("weights", encode(weights));
        }
        if let Some(data) = &self.data {
            for (key, value) in data.pairs() {
                put(key, value);
            }
        }
        if let Some(lang) = self.lang {
            put("lang", lang.id().to_string());
        }
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("?{}", query.join("&"))
    }

    pub fn hides(&self, control: &str) -> bool {
        self.hide.iter().any(|hidden| hidden == control)
    }
}
