//! The gradient view: each weighted layer's weight-gradient norm (or the
//! size of its output) at each step, first layer on top, as a heat strip on
//! a log scale; the run before it beside it on the same scale, so a plain
//! deep net and its residual twin can be compared.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::i18n::Say;
use crate::i18n::page_inside::TableText;
use crate::i18n::page_train::{StripCaption, TrainText};
use crate::ui::canvas::paint;
use crate::ui::lang::{lang, tr};
use crate::ui::run::{GradientRecord, Run};

/// Columns a strip is drawn in: longer runs are averaged into these.
const COLUMNS: usize = 480;
/// Pixel rows per layer.
const ROW_HEIGHT: usize = 6;

/// Viridis, in five stops: dark for the smallest norms, yellow for the largest.
const STOPS: [[f32; 3]; 5] = [
    [68.0, 1.0, 84.0],
    [59.0, 82.0, 139.0],
    [33.0, 145.0, 140.0],
    [94.0, 201.0, 98.0],
    [253.0, 231.0, 37.0],
];

fn colour(t: f32) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f32;
    let (i, f) = ((t.floor() as usize).min(STOPS.len() - 2), t - t.floor());
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    [0, 1, 2].map(|c| (a[c] + (b[c] - a[c]) * f).round() as u8)
}

/// log10 of a norm; a zero norm sits at the bottom of any scale.
fn log_norm(norm: f32) -> f32 {
    if norm > 0.0 {
        norm.log10()
    } else {
        f32::NEG_INFINITY
    }
}

/// The smallest and largest log10 value over `records` (their gradients,
/// or their outputs).
pub fn log_range(records: &[&GradientRecord], outputs: bool) -> Option<(f32, f32)> {
    let logs = records
        .iter()
        .flat_map(|record| record.values(outputs).iter().flatten())
        .map(|&n| log_norm(n))
        .filter(|l| l.is_finite());
    logs.fold(None, |range, l| match range {
        None => Some((l, l)),
        Some((lo, hi)) => Some((lo.min(l), hi.max(l))),
    })
}

/// The strip as RGBA: `width` columns (steps, averaged in log space when
/// there are more), a band of rows per layer; `values` has a row per step.
pub fn strip_rgba(values: &[Vec<f32>], layers: usize, (lo, hi): (f32, f32)) -> (usize, usize, Vec<u8>) {
    let steps = values.len();
    let width = steps.clamp(1, COLUMNS);
    let height = layers * ROW_HEIGHT;
    let mut rgba = vec![255u8; width * height * 4];
    let span = (hi - lo).max(1e-6);
    for x in 0..width {
        let (from, to) = (
            x * steps / width,
            ((x + 1) * steps / width).max(x * steps / width + 1).min(steps),
        );
        for layer in 0..layers {
            let logs: Vec<f32> = values[from..to]
                .iter()
                .filter_map(|step| step.get(layer))
                .map(|&n| log_norm(n).max(lo))
                .collect();
            if logs.is_empty() {
                continue;
            }
            let mean = logs.iter().sum::<f32>() / logs.len() as f32;
            let [r, g, b] = colour((mean - lo) / span);
            for y in layer * ROW_HEIGHT..(layer + 1) * ROW_HEIGHT {
                let at = (y * width + x) * 4;
                rgba[at..at + 4].copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    (width, height, rgba)
}

/// A layer's value over up to the last 10 steps, averaged.
fn recent(values: &[Vec<f32>], layer: usize) -> Option<f32> {
    let tail: Vec<f32> = values
        .iter()
        .rev()
        .take(10)
        .filter_map(|step| step.get(layer).copied())
        .collect();
    (!tail.is_empty()).then(|| tail.iter().sum::<f32>() / tail.len() as f32)
}

#[component]
pub fn GradientFlow() -> impl IntoView {
    let run = expect_context::<Run>();
    // Which the strips show: the weight gradients, or the layers' outputs.
    let outputs = RwSignal::new(false);
    let range = Memo::new(move |_| {
        let (now, before) = (run.gradients.get(), run.previous_gradients.get());
        let records: Vec<&GradientRecord> = now.iter().chain(before.iter()).collect();
        log_range(&records, outputs.get())
    });
    let choose = move |ev| outputs.set(event_target_value(&ev) == "outputs");
    view! {
        {move || run.gradients.get().map(|_| view! {
            <section class="gradient-flow" aria-label=tr(TrainText::GradientFlow)>
                <h3>{tr(TrainText::GradientFlow)}</h3>
                <p class="hint">
                    {tr(TrainText::GradientHint)}
                    <select name="gradient-values" aria-label=tr(TrainText::GradientValuesLabel) on:change=choose>
                        <option value="gradients" selected=move || !outputs.get()>{tr(TrainText::GradientNorms)}</option>
                        <option value="outputs" selected=move || outputs.get()>{tr(TrainText::OutputRms)}</option>
                    </select>
                </p>
                <div class="strips">
                    <Strip record=run.gradients.into() range=range.into() outputs=outputs.into() which=Which::ThisRun />
                    {move || run.previous_gradients.get().map(|_| view! {
                        <Strip record=run.previous_gradients.into() range=range.into() outputs=outputs.into() which=Which::RunBefore />
                    })}
                </div>
                {move || range.get().map(|(lo, hi)| view! {
                    <p class="scale">
                        <span class="swatch low"></span>{format!("1e{lo:.0}")}
                        " … "
                        <span class="swatch high"></span>{format!("1e{hi:.0}")}
                    </p>
                })}
            </section>
        })}
    }
}

/// Which run a strip shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Which {
    ThisRun,
    RunBefore,
}

impl Which {
    /// The figure's `data-which`, the same in either language.
    fn id(self) -> &'static str {
        match self {
            Which::ThisRun => "this run",
            Which::RunBefore => "the run before",
        }
    }

    fn text(self) -> TrainText {
        match self {
            Which::ThisRun => TrainText::ThisRun,
            Which::RunBefore => TrainText::RunBefore,
        }
    }
}

#[component]
fn Strip(
    record: Signal<Option<GradientRecord>>,
    range: Signal<Option<(f32, f32)>>,
    outputs: Signal<bool>,
    which: Which,
) -> impl IntoView {
    let lang = lang();
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let (Some(canvas), Some(record), Some(range)) = (node.get(), record.get(), range.get()) else {
            return;
        };
        let (width, height, rgba) = strip_rgba(record.values(outputs.get()), record.layers.len(), range);
        paint(&canvas, width, height, &rgba);
    });
    let named = move |pick: fn(usize) -> usize| {
        record.get().and_then(|record| {
            let layer = pick(record.layers.len());
            let value = recent(record.values(outputs.get()), layer)?;
            Some(format!(
                "{}: {value:.2e}",
                record.layers.get(layer)?.say(lang.get())
            ))
        })
    };
    view! {
        <figure class="strip" data-which=which.id()>
            <figcaption>
                // The run's title, as the worker client keeps it.
                <strong>{move || record.get().map(|r| r.title).unwrap_or_default()}</strong>
                {move || record.get().map(|r| StripCaption { which: which.text(), layers: r.layers.len(), steps: r.steps.len() }.say(lang.get()))}
            </figcaption>
            // Stretched to the figure's width; a fixed height per layer, so a
            // short run is not drawn as a tower.
            <canvas
                node_ref=node
                class="gradient-strip"
                style:height=move || format!("{}px", record.get().map_or(0, |r| (r.layers.len() * 5).clamp(40, 260)))
            ></canvas>
            <dl class="named-layers">
                // The worker's layer labels, and their values.
                <dt>{tr(TrainText::FirstLayer)}</dt><dd class="first-norm">{move || named(|_| 0)}</dd>
                <dt>{tr(TrainText::LastLayer)}</dt><dd class="last-norm">{move || named(|n| n.saturating_sub(1))}</dd>
            </dl>
            <StripTable record=record outputs=outputs />
        </figure>
    }
}

/// A strip's numbers: each layer's value at the first step and over the
/// last ones, for a screen reader and for anyone who wants them.
#[component]
fn StripTable(record: Signal<Option<GradientRecord>>, outputs: Signal<bool>) -> impl IntoView {
    let lang = lang();
    let rows = move || {
        let lang = lang.get();
        record.get().map(|record| {
            let values = record.values(outputs.get());
            record
                .layers
                .iter()
                .enumerate()
                .map(|(layer, name)| {
                    let first = values
                        .first()
                        .and_then(|step| step.get(layer))
                        .map(|v| format!("{v:.2e}"));
                    let last = recent(values, layer).map(|v| format!("{v:.2e}"));
                    view! {
                        <tr>
                                                        <th scope="row">{name.say(lang)}</th>
                            <td class="num">{first}</td>
                            <td class="num">{last}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <details class="as-table strip-table">
            <summary>{tr(TrainText::ShowAsTable)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{tr(TableText::Layer)}</th>
                        <th scope="col">{tr(TrainText::FirstStep)}</th>
                        <th scope="col">{tr(TrainText::LastSteps)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
