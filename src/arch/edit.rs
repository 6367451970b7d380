//! A net's description as fields a student can edit, the book's exercises
//! as presets, and both as a compact link.
//!
//! Every net has a list of fields ([`fields`]); each field reads from and
//! writes to its [`NetConfig`] ([`set`]), so the page's editor, the link
//! (`edit=`) and the command line's JSON all change the same description
//! the shape table and the Burn module are built from. A field's text is
//! checked on its own here (a whole number, a choice, a list); whether the
//! net then fits its input is the shape table's to say, naming the layer.

use crate::bounds::Bounds;

use super::{
    Activation, AlexNetConfig, Arch, BnLeNetConfig, DenseNetConfig, GoogLeNetConfig, LeNetConfig, NetConfig,
    NiNConfig, Pooling, ResNetConfig, VggConfig,
};

/// What a field holds, and the bounds its text is checked against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Whole {
        min: usize,
        max: usize,
    },
    Number {
        min: f64,
        max: f64,
    },
    /// One of these values (the text is the value).
    Choice(&'static [&'static str]),
    Flag,
    /// Whole numbers in a row: `6, 16`.
    List {
        min_len: usize,
        max_len: usize,
        min: usize,
        max: usize,
    },
    /// A table of whole numbers, one row per block: `1×64, 1×128`.
    Rows {
        columns: &'static [&'static str],
        min_rows: usize,
        max_rows: usize,
        min: usize,
        max: usize,
    },
}

/// One editable setting of a net, with its current text.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Short and URL-safe: `edit=ch-6_16`.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub value: String,
}

struct Spec {
    key: &'static str,
    label: &'static str,
    kind: Kind,
}

const fn whole(key: &'static str, label: &'static str, min: usize, max: usize) -> Spec {
    Spec {
        key,
        label,
        kind: Kind::Whole { min, max },
    }
}

const fn number(key: &'static str, label: &'static str, min: f64, max: f64) -> Spec {
    Spec {
        key,
        label,
        kind: Kind::Number { min, max },
    }
}

const fn flag(key: &'static str, label: &'static str) -> Spec {
    Spec {
        key,
        label,
        kind: Kind::Flag,
    }
}

const fn list(key: &'static str, label: &'static str, len: (usize, usize), max: usize) -> Spec {
    Spec {
        key,
        label,
        kind: Kind::List {
            min_len: len.0,
            max_len: len.1,
            min: 1,
            max,
        },
    }
}

const fn rows(
    key: &'static str,
    label: &'static str,
    columns: &'static [&'static str],
    len: (usize, usize),
    range: (usize, usize),
) -> Spec {
    Spec {
        key,
        label,
        kind: Kind::Rows {
            columns,
            min_rows: len.0,
            max_rows: len.1,
            min: range.0,
            max: range.1,
        },
    }
}

const ACTIVATIONS: Kind = Kind::Choice(&["sigmoid", "relu"]);
const CHANNELS: usize = 4096;
const INCEPTION: &[&str] = &["1×1", "3×3 in", "3×3", "5×5 in", "5×5", "pool 1×1"];

fn specs(arch: Arch) -> Vec<Spec> {
    match arch {
        Arch::LeNet => vec![
            Spec {
                key: "act",
                label: "activation",
                kind: ACTIVATIONS,
            },
            Spec {
                key: "pool",
                label: "pooling",
                kind: Kind::Choice(&["avg", "max"]),
            },
            list("ch", "convolution channels", (1, 4), CHANNELS),
            whole("k", "kernel size", 1, 11),
            whole("pad", "first convolution's padding", 0, 5),
            Spec {
                key: "dense",
                label: "hidden dense widths",
                kind: Kind::List {
                    min_len: 0,
                    max_len: 4,
                    min: 1,
                    max: CHANNELS,
                },
            },
        ],
        Arch::AlexNet => vec![
            list("ch", "convolution channels", (5, 5), CHANNELS),
            whole("k1", "first convolution's kernel", 1, 11),
            whole("s1", "first convolution's stride", 1, 4),
            whole("p1", "first convolution's padding", 0, 5),
            whole("dense", "dense width", 1, 8192),
            number("drop", "dropout", 0.0, 0.95),
        ],
        Arch::Vgg => vec![
            rows(
                "blocks",
                "blocks (convolutions × channels)",
                &["convolutions", "channels"],
                (1, 8),
                (1, 1024),
            ),
            whole("ratio", "width ratio (channels ÷)", 1, 64),
        ],
        Arch::NiN => vec![
            rows(
                "blocks",
                "nin_blocks (channels, kernel, stride, padding; the last one's channels are the classes)",
                &["channels", "kernel", "stride", "padding"],
                (1, 6),
                (0, 1024),
            ),
            whole("one", "1×1 convolutions per block", 0, 4),
            number("drop", "dropout", 0.0, 0.95),
        ],
        Arch::GoogLeNet => vec![
            rows(
                "b3",
                "b3's Inception blocks (path widths)",
                INCEPTION,
                (1, 4),
                (1, 1024),
            ),
            rows(
                "b4",
                "b4's Inception blocks (path widths)",
                INCEPTION,
                (1, 8),
                (1, 1024),
            ),
            rows(
                "b5",
                "b5's Inception blocks (path widths)",
                INCEPTION,
                (1, 4),
                (1, 1024),
            ),
        ],
        Arch::BnLeNet => vec![
            flag("bn1", "batch norm after conv 1"),
            flag("bn2", "after conv 2"),
            flag("bn3", "after dense 1"),
            flag("bn4", "after dense 2"),
            Spec {
                key: "order",
                label: "batch norm goes",
                kind: Kind::Choice(&["before", "after"]),
            },
            number("eps", "eps", 1e-8, 1.0),
            number("mom", "momentum (weight of each new batch)", 0.0, 1.0),
            Spec {
                key: "act",
                label: "activation",
                kind: ACTIVATIONS,
            },
        ],
        Arch::ResNet => vec![
            rows(
                "stages",
                "stages (channels × residual blocks)",
                &["channels", "residuals"],
                (1, 6),
                (1, 1024),
            ),
            whole("b1", "b1's channels", 1, 1024),
            flag("short", "shortcut (off: a plain net)"),
            flag("bn", "batch norm"),
        ],
        Arch::DenseNet => vec![
            whole("b1", "b1's channels", 1, 1024),
            whole("growth", "growth rate", 1, 256),
            list("convs", "convolutions per dense block", (1, 6), 32),
            whole("div", "transition divides channels by", 1, 8),
        ],
    }
}

/// A field's value, parsed.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Whole(usize),
    Number(f64),
    Text(&'static str),
    Flag(bool),
    List(Vec<usize>),
    Rows(Vec<Vec<usize>>),
}

fn text(value: &Value) -> String {
    let join = |items: &[usize], sep: &str| items.iter().map(usize::to_string).collect::<Vec<_>>().join(sep);
    match value {
        Value::Whole(n) => n.to_string(),
        Value::Number(x) => x.to_string(),
        Value::Text(t) => t.to_string(),
        Value::Flag(true) => "on".to_string(),
        Value::Flag(false) => "off".to_string(),
        Value::List(items) => join(items, ", "),
        Value::Rows(rows) => rows
            .iter()
            .map(|row| join(row, "×"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn tuple2(rows: &[(usize, usize)]) -> Value {
    Value::Rows(rows.iter().map(|&(a, b)| vec![a, b]).collect())
}

fn inceptions(rows: &[super::InceptionWidths]) -> Value {
    Value::Rows(
        rows.iter()
            .map(|&(a, b, c, d, e, f)| vec![a, b, c, d, e, f])
            .collect(),
    )
}

fn activation_text(activation: Activation) -> Value {
    Value::Text(match activation {
        Activation::Sigmoid => "sigmoid",
        Activation::Relu => "relu",
    })
}

fn get(config: &NetConfig, key: &str) -> Option<Value> {
    Some(match (config, key) {
        (NetConfig::LeNet(c), "act") => activation_text(c.activation),
        (NetConfig::LeNet(c), "pool") => Value::Text(match c.pooling {
            Pooling::Avg => "avg",
            Pooling::Max => "max",
        }),
        (NetConfig::LeNet(c), "ch") => Value::List(c.channels.clone()),
        (NetConfig::LeNet(c), "k") => Value::Whole(c.kernel),
        (NetConfig::LeNet(c), "pad") => Value::Whole(c.padding),
        (NetConfig::LeNet(c), "dense") => Value::List(c.dense.clone()),
        (NetConfig::AlexNet(c), "ch") => Value::List(c.channels.clone()),
        (NetConfig::AlexNet(c), "k1") => Value::Whole(c.first_conv.0),
        (NetConfig::AlexNet(c), "s1") => Value::Whole(c.first_conv.1),
        (NetConfig::AlexNet(c), "p1") => Value::Whole(c.first_conv.2),
        (NetConfig::AlexNet(c), "dense") => Value::Whole(c.dense),
        (NetConfig::AlexNet(c), "drop") => Value::Number(c.dropout),
        (NetConfig::Vgg(c), "blocks") => tuple2(&c.conv_arch),
        (NetConfig::Vgg(c), "ratio") => Value::Whole(c.ratio),
        (NetConfig::NiN(c), "blocks") => {
            Value::Rows(c.blocks.iter().map(|&(a, b, s, p)| vec![a, b, s, p]).collect())
        }
        (NetConfig::NiN(c), "one") => Value::Whole(c.one_by_one),
        (NetConfig::NiN(c), "drop") => Value::Number(c.dropout),
        (NetConfig::GoogLeNet(c), "b3") => inceptions(&c.b3),
        (NetConfig::GoogLeNet(c), "b4") => inceptions(&c.b4),
        (NetConfig::GoogLeNet(c), "b5") => inceptions(&c.b5),
        (NetConfig::BnLeNet(c), "bn1" | "bn2" | "bn3" | "bn4") => {
            let place = key[2..].parse::<usize>().ok()? - 1;
            Value::Flag(c.places.get(place).copied().unwrap_or(false))
        }
        (NetConfig::BnLeNet(c), "order") => Value::Text(if c.before_activation { "before" } else { "after" }),
        (NetConfig::BnLeNet(c), "eps") => Value::Number(c.eps),
        (NetConfig::BnLeNet(c), "mom") => Value::Number(c.momentum),
        (NetConfig::BnLeNet(c), "act") => activation_text(c.activation),
        (NetConfig::ResNet(c), "stages") => tuple2(&c.stages),
        (NetConfig::ResNet(c), "b1") => Value::Whole(c.b1_channels),
        (NetConfig::ResNet(c), "short") => Value::Flag(c.shortcut),
        (NetConfig::ResNet(c), "bn") => Value::Flag(c.batch_norm),
        (NetConfig::DenseNet(c), "b1") => Value::Whole(c.num_channels),
        (NetConfig::DenseNet(c), "growth") => Value::Whole(c.growth_rate),
        (NetConfig::DenseNet(c), "convs") => Value::List(c.num_convs_in_dense_blocks.clone()),
        (NetConfig::DenseNet(c), "div") => Value::Whole(c.transition_divisor),
        _ => return None,
    })
}

fn pairs(rows: Vec<Vec<usize>>) -> Vec<(usize, usize)> {
    rows.into_iter().map(|r| (r[0], r[1])).collect()
}

fn activation(value: &Value) -> Activation {
    match value {
        Value::Text("relu") => Activation::Relu,
        _ => Activation::Sigmoid,
    }
}

/// Writes a parsed value (already checked against the field's kind).
fn put(config: &mut NetConfig, key: &str, value: Value) {
    use Value::*;
    match (config, key, value) {
        (NetConfig::LeNet(c), "act", v) => c.activation = activation(&v),
        (NetConfig::LeNet(c), "pool", Text(t)) => {
            c.pooling = if t == "max" { Pooling::Max } else { Pooling::Avg }
        }
        (NetConfig::LeNet(c), "ch", List(v)) => c.channels = v,
        (NetConfig::LeNet(c), "k", Whole(n)) => c.kernel = n,
        (NetConfig::LeNet(c), "pad", Whole(n)) => c.padding = n,
        (NetConfig::LeNet(c), "dense", List(v)) => c.dense = v,
        (NetConfig::AlexNet(c), "ch", List(v)) => c.channels = v,
        (NetConfig::AlexNet(c), "k1", Whole(n)) => c.first_conv.0 = n,
        (NetConfig::AlexNet(c), "s1", Whole(n)) => c.first_conv.1 = n,
        (NetConfig::AlexNet(c), "p1", Whole(n)) => c.first_conv.2 = n,
        (NetConfig::AlexNet(c), "dense", Whole(n)) => c.dense = n,
        (NetConfig::AlexNet(c), "drop", Number(x)) => c.dropout = x,
        (NetConfig::Vgg(c), "blocks", Rows(r)) => c.conv_arch = pairs(r),
        (NetConfig::Vgg(c), "ratio", Whole(n)) => c.ratio = n,
        (NetConfig::NiN(c), "blocks", Rows(r)) => {
            c.blocks = r.into_iter().map(|r| (r[0], r[1], r[2], r[3])).collect()
        }
        (NetConfig::NiN(c), "one", Whole(n)) => c.one_by_one = n,
        (NetConfig::NiN(c), "drop", Number(x)) => c.dropout = x,
        (NetConfig::GoogLeNet(c), stage @ ("b3" | "b4" | "b5"), Rows(r)) => {
            let widths = r
                .into_iter()
                .map(|r| (r[0], r[1], r[2], r[3], r[4], r[5]))
                .collect();
            match stage {
                "b3" => c.b3 = widths,
                "b4" => c.b4 = widths,
                _ => c.b5 = widths,
            }
        }
        (NetConfig::BnLeNet(c), place @ ("bn1" | "bn2" | "bn3" | "bn4"), Flag(on)) => {
            let place = place[2..].parse::<usize>().unwrap_or(1) - 1;
            c.places.resize(4, true);
            c.places[place] = on;
        }
        (NetConfig::BnLeNet(c), "order", Text(t)) => c.before_activation = t == "before",
        (NetConfig::BnLeNet(c), "eps", Number(x)) => c.eps = x,
        (NetConfig::BnLeNet(c), "mom", Number(x)) => c.momentum = x,
        (NetConfig::BnLeNet(c), "act", v) => c.activation = activation(&v),
        (NetConfig::ResNet(c), "stages", Rows(r)) => c.stages = pairs(r),
        (NetConfig::ResNet(c), "b1", Whole(n)) => c.b1_channels = n,
        (NetConfig::ResNet(c), "short", Flag(on)) => c.shortcut = on,
        (NetConfig::ResNet(c), "bn", Flag(on)) => c.batch_norm = on,
        (NetConfig::DenseNet(c), "b1", Whole(n)) => c.num_channels = n,
        (NetConfig::DenseNet(c), "growth", Whole(n)) => c.growth_rate = n,
        (NetConfig::DenseNet(c), "convs", List(v)) => c.num_convs_in_dense_blocks = v,
        (NetConfig::DenseNet(c), "div", Whole(n)) => c.transition_divisor = n,
        (config, key, value) => debug_assert!(false, "no field {key} = {value:?} in {}", config.arch()),
    }
}

fn parse_whole(text: &str, min: usize, max: usize) -> Result<usize, String> {
    Bounds::new(min, max).parse(text).map_err(|e| e.to_string())
}

/// Splits a list on commas, underscores (the link's form) or spaces.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '_', ' ', ';'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

fn parse(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        Kind::Whole { min, max } => parse_whole(text, min, max).map(Value::Whole),
        Kind::Number { min, max } => Bounds::new(min, max)
            .parse(text)
            .map(Value::Number)
            .map_err(|e| e.to_string()),
        Kind::Choice(choices) => choices
            .iter()
            .find(|choice| **choice == text.trim())
            .map(|choice| Value::Text(choice))
            .ok_or_else(|| format!("one of {}", choices.join(", "))),
        Kind::Flag => match text.trim() {
            "on" | "1" | "true" | "yes" => Ok(Value::Flag(true)),
            "off" | "0" | "false" | "no" => Ok(Value::Flag(false)),
            other => Err(format!("on or off, not “{other}”")),
        },
        Kind::List {
            min_len,
            max_len,
            min,
            max,
        } => {
            let values = items(text)
                .map(|item| parse_whole(item, min, max))
                .collect::<Result<Vec<_>, _>>()?;
            match (min_len..=max_len).contains(&values.len()) {
                true => Ok(Value::List(values)),
                false if min_len == max_len => {
                    Err(format!("exactly {min_len} numbers, not {}", values.len()))
                }
                false => Err(format!(
                    "from {min_len} to {max_len} numbers, not {}",
                    values.len()
                )),
            }
        }
        Kind::Rows {
            columns,
            min_rows,
            max_rows,
            min,
            max,
        } => {
            let mut rows = vec![];
            for (i, row) in items(text).enumerate() {
                let cells = row
                    .split(['×', 'x', '*', '/'])
                    .map(|cell| parse_whole(cell, min, max).map_err(|e| format!("row {}: {e}", i + 1)))
                    .collect::<Result<Vec<_>, _>>()?;
                if cells.len() != columns.len() {
                    return Err(format!(
                        "row {} has {} numbers; each row is {}",
                        i + 1,
                        cells.len(),
                        columns.join(" × ")
                    ));
                }
                rows.push(cells);
            }
            match (min_rows..=max_rows).contains(&rows.len()) {
                true => Ok(Value::Rows(rows)),
                false => Err(format!("from {min_rows} to {max_rows} rows, not {}", rows.len())),
            }
        }
    }
}

/// The net's editable fields, with their values in `config`.
pub fn fields(config: &NetConfig) -> Vec<Field> {
    specs(config.arch())
        .into_iter()
        .map(|spec| Field {
            key: spec.key,
            label: spec.label,
            kind: spec.kind,
            value: get(config, spec.key)
                .map(|value| text(&value))
                .unwrap_or_default(),
        })
        .collect()
}

/// `config` with field `key` set from `text`, or why `text` is not a value
/// for it (the field's label first).
pub fn set(config: &NetConfig, key: &str, text: &str) -> Result<NetConfig, String> {
    let spec = specs(config.arch())
        .into_iter()
        .find(|spec| spec.key == key)
        .ok_or_else(|| format!("{} has no setting “{key}”", config.arch().title()))?;
    let value = parse(spec.kind, text).map_err(|e| format!("{}: {e}", spec.label))?;
    let mut config = config.clone();
    put(&mut config, key, value);
    Ok(config)
}

/// Whether `config` is a net the editor could have made: every field
/// within its bounds, and nothing the fields do not hold. A description
/// read from a file (a weights file's metadata, `--config`) comes through
/// here before a net is built from it: one asking for a billion channels
/// would otherwise be allocated, not refused.
pub fn check(config: &NetConfig) -> Result<(), String> {
    let mut rebuilt = NetConfig::default_for(config.arch());
    for field in fields(config) {
        rebuilt = set(&rebuilt, field.key, &field.value)?;
    }
    match rebuilt == *config {
        true => Ok(()),
        false => Err(format!(
            "it describes a {} with settings the editor has no field for",
            config.arch().title()
        )),
    }
}

/// The fields where `config` differs from the book's net, each with the
/// book's text for it.
pub fn changes(config: &NetConfig) -> Vec<(Field, String)> {
    let book = fields(&NetConfig::default_for(config.arch()));
    fields(config)
        .into_iter()
        .zip(book)
        .filter(|(field, book)| field.value != book.value)
        .map(|(field, book)| (field, book.value))
        .collect()
}

/// The fields where `config` differs from the book's net, as `key-value`
/// pairs joined by `~`, in the link's URL-safe form (`ch-6_16~act-relu`);
/// empty for the book's net. VGG's width ratio is left to `ratio=`.
pub fn to_query(config: &NetConfig) -> String {
    changes(config)
        .into_iter()
        .filter(|(field, _)| field.key != "ratio")
        .map(|(field, _)| {
            let value = field.value.replace(", ", "_").replace('×', "x");
            format!("{}-{value}", field.key)
        })
        .collect::<Vec<_>>()
        .join("~")
}

/// The book's net for `arch` with the edits of `query` (`to_query`'s form)
/// applied in order; an edit that cannot be used is named in the errors
/// and left out.
pub fn from_query(arch: Arch, query: &str) -> (NetConfig, Vec<String>) {
    let (config, errors) = apply_query(NetConfig::default_for(arch), query);
    (config, errors.into_iter().map(|(_, error)| error).collect())
}

/// `config` with the edits of `query` (`to_query`'s form) applied in
/// order; each edit that cannot be used is left out and returned with why.
pub fn apply_query(mut config: NetConfig, query: &str) -> (NetConfig, Vec<(&str, String)>) {
    let mut errors = vec![];
    for edit in query.split('~').filter(|edit| !edit.is_empty()) {
        let (key, value) = edit.split_once('-').unwrap_or((edit, ""));
        match set(&config, key, value) {
            Ok(edited) => config = edited,
            Err(e) => errors.push((edit, e)),
        }
    }
    (config, errors)
}

/// One of the book's exercises, set up in one click.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// The exercise's question, in our words.
    pub question: &'static str,
    pub net: NetConfig,
    /// An input side the exercise needs, when not the book's.
    pub resize: Option<usize>,
}

const VGG_13: [(usize, usize); 5] = [(2, 64), (2, 128), (2, 256), (2, 512), (2, 512)];
const VGG_16: [(usize, usize); 5] = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)];
const VGG_19: [(usize, usize); 5] = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)];
const RESNET_34: [(usize, usize); 4] = [(64, 3), (128, 4), (256, 6), (512, 3)];

/// The deep pair for the gradient view: ResNet-34's layout at a sixteenth
/// of its widths, without batch norm, on 28×28 images: a few seconds a
/// step on a laptop's CPU.
pub fn deep_pair(shortcut: bool) -> NetConfig {
    NetConfig::ResNet(ResNetConfig {
        stages: vec![(16, 3), (32, 4), (64, 6), (128, 3)],
        b1_channels: 16,
        shortcut,
        batch_norm: false,
    })
}

/// The input side of the deep pair.
pub const DEEP_PAIR_SIDE: usize = 28;

/// The book's exercises for `arch`, as presets.
pub fn presets(arch: Arch) -> Vec<Preset> {
    let vgg = |id, title, question, conv_arch: [(usize, usize); 5]| Preset {
        id,
        title,
        question,
        net: NetConfig::Vgg(VggConfig {
            conv_arch: conv_arch.to_vec(),
            ..VggConfig::default()
        }),
        resize: None,
    };
    let resnet = |shortcut| {
        NetConfig::ResNet(ResNetConfig {
            stages: RESNET_34.to_vec(),
            shortcut,
            ..ResNetConfig::default()
        })
    };
    match arch {
        Arch::LeNet => vec![Preset {
            id: "lenet-relu-max",
            title: "ReLU and max pooling",
            question: "LeNet was built with sigmoids and average pooling. Swap in ReLU and max pooling, as the nets \
                       after it do: does it learn faster, and does the book's learning rate of 0.9 still suit it?",
            net: NetConfig::LeNet(LeNetConfig {
                activation: Activation::Relu,
                pooling: Pooling::Max,
                ..LeNetConfig::default()
            }),
            resize: None,
        }],
        Arch::AlexNet => vec![Preset {
            id: "alexnet-28",
            title: "28×28 without resizing",
            question: "The book blows Fashion-MNIST up to 224×224 for AlexNet. At 28×28 its first 11×11 window with \
                       stride 4 shrinks the image to nothing by the third pooling. A 3×3 first convolution with stride \
                       1 keeps it: which other layers would you change, and what does it cost in time?",
            net: NetConfig::AlexNet(AlexNetConfig {
                first_conv: (3, 1, 1),
                ..AlexNetConfig::default()
            }),
            resize: Some(28),
        }],
        Arch::Vgg => vec![
            vgg(
                "vgg-13",
                "VGG-13",
                "VGG-13 doubles the convolutions of the first two blocks. Compare its table with VGG-11's: where do \
                 the parameters and the multiply-adds go?",
                VGG_13,
            ),
            vgg(
                "vgg-16",
                "VGG-16",
                "VGG-16 has three convolutions in each of the last three blocks. How much slower is a step, and does \
                 it reach a better accuracy on Fashion-MNIST?",
                VGG_16,
            ),
            vgg(
                "vgg-19",
                "VGG-19",
                "VGG-19 has four. Past which depth does adding 3×3 layers stop paying off here?",
                VGG_19,
            ),
        ],
        Arch::NiN => vec![Preset {
            id: "nin-one",
            title: "one 1×1 convolution per block",
            question: "Why does each NiN block have two 1×1 convolutions? Keep one and compare the accuracy and the \
                       parameter count.",
            net: NetConfig::NiN(NiNConfig {
                one_by_one: 1,
                ..NiNConfig::default()
            }),
            resize: None,
        }],
        Arch::GoogLeNet => vec![Preset {
            id: "googlenet-half",
            title: "half-width Inception blocks",
            question: "GoogLeNet was designed for ImageNet. Halve every path of every Inception block: how much of \
                       the accuracy on Fashion-MNIST does it keep, for how much less computation?",
            net: {
                let half = |rows: &[super::InceptionWidths]| -> Vec<super::InceptionWidths> {
                    rows.iter()
                        .map(|&(a, b, c, d, e, f)| (a / 2, b / 2, c / 2, d / 2, e / 2, f / 2))
                        .collect()
                };
                let book = GoogLeNetConfig::default();
                NetConfig::GoogLeNet(GoogLeNetConfig {
                    b3: half(&book.b3),
                    b4: half(&book.b4),
                    b5: half(&book.b5),
                })
            },
            resize: None,
        }],
        Arch::BnLeNet => vec![
            Preset {
                id: "bn-after",
                title: "batch norm after the activation",
                question: "The book puts batch norm between each layer and its activation. Put it after the \
                           activation instead: does it train as fast?",
                net: NetConfig::BnLeNet(BnLeNetConfig {
                    before_activation: false,
                    ..BnLeNetConfig::default()
                }),
                resize: None,
            },
            Preset {
                id: "bn-convs-only",
                title: "batch norm after the convolutions only",
                question: "Do we need batch norm after every layer? Keep it after the two convolutions only and \
                           compare.",
                net: NetConfig::BnLeNet(BnLeNetConfig {
                    places: vec![true, true, false, false],
                    ..BnLeNetConfig::default()
                }),
                resize: None,
            },
        ],
        Arch::ResNet => vec![
            Preset {
                id: "resnet-34",
                title: "ResNet-34",
                question: "ResNet-34 has 3, 4, 6 and 3 residual blocks per stage. How do its table and its time per \
                           step compare with ResNet-18's?",
                net: resnet(true),
                resize: None,
            },
            Preset {
                id: "plain-34",
                title: "plain 34-layer net",
                question: "The same 34 layers without the shortcuts. He et al. found such plain nets train worse than \
                           shallower ones. Does it here?",
                net: resnet(false),
                resize: None,
            },
            Preset {
                id: "deep-plain",
                title: "deep and narrow: plain",
                question: "A 34-layer net without shortcuts or batch norm, narrow enough to train in a tab. Train it \
                           and watch the gradient view: how large are the first layers' gradients next to the \
                           last ones'? Then train its residual twin.",
                net: deep_pair(false),
                resize: Some(DEEP_PAIR_SIDE),
            },
            Preset {
                id: "deep-residual",
                title: "deep and narrow: residual",
                question: "The same net with its shortcuts. Adding x back gives the gradient a path around every \
                           block: compare the first layers' gradients with the plain twin's.",
                net: deep_pair(true),
                resize: Some(DEEP_PAIR_SIDE),
            },
        ],
        Arch::DenseNet => vec![Preset {
            id: "densenet-growth-16",
            title: "growth rate 16",
            question: "Each convolution in a dense block adds growth-rate channels. Halve it: what happens to the \
                       parameters, the memory and the accuracy?",
            net: NetConfig::DenseNet(DenseNetConfig {
                growth_rate: 16,
                ..DenseNetConfig::default()
            }),
            resize: None,
        }],
    }
}

/// The preset with this id, for any net.
pub fn preset(id: &str) -> Option<Preset> {
    Arch::ALL
        .into_iter()
        .flat_map(presets)
        .find(|preset| preset.id == id)
}
