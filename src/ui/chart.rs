//! The book's live plot (d2l's `Animator`): train loss and train accuracy
//! five times an epoch, test accuracy once an epoch, against epochs.

use leptos::prelude::*;

use crate::i18n::page_train::TrainText;
use crate::training::EpochReport;
use crate::ui::lang::{lang, tr};
use crate::ui::run::Point;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

fn polyline(points: &[(f64, f64)], x: &impl Fn(f64) -> f64, y: &impl Fn(f64) -> f64) -> String {
    points
        .iter()
        .map(|&(px, py)| format!("{:.1},{:.1}", x(px), y(py)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `0.25`, `0.5`, `1`: as few digits as the value needs.
fn tick_label(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The plot of `points` and `history` over `epochs` epochs.
#[component]
pub fn Chart(
    #[prop(into)] points: Signal<Vec<Point>>,
    #[prop(into)] history: Signal<Vec<EpochReport>>,
    #[prop(into)] epochs: Signal<usize>,
) -> impl IntoView {
    let axis = tr(TrainText::EpochAxis);
    let plot = move || {
        let points = points.get();
        let history = history.get();
        let epochs = epochs.get().max(1) as f64;
        // Accuracies live in [0, 1]; the loss starts near ln 10 ≈ 2.3.
        let top = points
            .iter()
            .map(|p| p.loss)
            .fold(1.0f64, f64::max)
            .min(10.0)
            .ceil();
        let x = move |e: f64| LEFT + e / epochs * (WIDTH - LEFT - RIGHT);
        let y = move |v: f64| TOP + (1.0 - v.clamp(0.0, top) / top) * (HEIGHT - TOP - BOTTOM);
        let loss: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.loss)).collect();
        let train_acc: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.train_acc)).collect();
        let test_acc: Vec<(f64, f64)> = history.iter().map(|r| (r.epoch as f64, r.test_acc)).collect();
        let ticks_y = (0..=4).map(|i| top * i as f64 / 4.0).collect::<Vec<_>>();
        let step = (epochs / 10.0).ceil().max(1.0) as usize;
        let ticks_x = (0..=epochs as usize).step_by(step).collect::<Vec<_>>();
        view! {
            <g class="grid">
                {ticks_y
                    .iter()
                    .map(|&v| {
                        view! {
                            <line x1=LEFT x2=WIDTH - RIGHT y1=y(v) y2=y(v) />
                            <text class="tick" x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end">
                                {tick_label(v)}
                            </text>
                        }
                    })
                    .collect_view()}
                {ticks_x
                    .iter()
                    .map(|&e| {
                        view! {
                            <text class="tick" x=x(e as f64) y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">
                                {e.to_string()}
                            </text>
                        }
                    })
                    .collect_view()}
                <text class="axis" x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 4.0 text-anchor="middle">
                    {axis}
                </text>
            </g>
            <polyline class="series loss" points=polyline(&loss, &x, &y) />
            <polyline class="series train-acc" points=polyline(&train_acc, &x, &y) />
            <polyline class="series test-acc" points=polyline(&test_acc, &x, &y) />
            {test_acc
                .iter()
                .map(|&(e, v)| view! { <circle class="dot test-acc" cx=x(e) cy=y(v) r="3" /> })
                .collect_view()}
        }
    };
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=tr(TrainText::ChartLabel)
                data-points=move || points.with(|p| p.len()).to_string()
            >
                {plot}
            </svg>
            <figcaption class="legend">
                <span class="key loss">{tr(TrainText::TrainLoss)}</span>
                <span class="key train-acc">{tr(TrainText::TrainAcc)}</span>
                <span class="key test-acc">{tr(TrainText::TestAcc)}</span>
            </figcaption>
        </figure>
        <ChartTable points=points history=history />
    }
}

/// The chart's numbers, for a screen reader and for anyone who wants them:
/// a row per point of the plot, the test accuracy at the end of its epoch.
#[component]
fn ChartTable(points: Signal<Vec<Point>>, history: Signal<Vec<EpochReport>>) -> impl IntoView {
    let lang = lang();
    let rows = move || {
        let lang = lang.get();
        let history = history.get();
        points
            .get()
            .into_iter()
            .map(|point| {
                // The test accuracy, on the row that ends its epoch.
                let test = history
                    .iter()
                    .find(|report| (report.epoch as f64 - point.x).abs() < 1e-6)
                    .map(|report| lang.number(report.test_acc, 3));
                view! {
                    <tr>
                        <td class="num">{lang.number(point.x, 1)}</td>
                        <td class="num">{lang.number(point.loss, 3)}</td>
                        <td class="num">{lang.number(point.train_acc, 3)}</td>
                        <td class="num">{test}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <details class="as-table chart-table">
            <summary>{tr(TrainText::ShowAsTable)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{tr(TrainText::EpochAxis)}</th>
                        <th scope="col">{tr(TrainText::TrainLoss)}</th>
                        <th scope="col">{tr(TrainText::TrainAcc)}</th>
                        <th scope="col">{tr(TrainText::TestAcc)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
