//! The ticked runs compared: their curves on one chart, and the same
//! numbers as a table (the chart's text alternative).

use leptos::prelude::*;

use super::{History, RunRecord};
use crate::i18n::page_inside::{ChartText, HistoryText};
use crate::i18n::page_train::TrainText;
use crate::i18n::{Catalogue, Lang, Say};
use crate::ui::lang::lang;

/// Colours of the compared runs, in turn.
const COLOURS: [&str; 6] = ["#2f6fbd", "#c2572b", "#2e7d4f", "#8a4fbd", "#b3261e", "#5d6570"];

/// The ticked runs' test accuracy (solid) and training loss (dashed) per
/// epoch on one chart, a colour and a legend entry each.
#[component]
pub(super) fn CompareChart() -> impl IntoView {
    let history = expect_context::<History>();
    let lang = lang();
    move || {
        let lang = lang.get();
        let ticked = history.ticked.get();
        let runs: Vec<RunRecord> = history
            .runs
            .get()
            .into_iter()
            .filter(|r| ticked.contains(&r.id) && !r.epochs.is_empty())
            .collect();
        if runs.is_empty() {
            return None;
        }
        let (width, height, pad) = (640.0, 220.0, 32.0);
        let max_epoch = runs.iter().map(|r| r.epochs.len()).max().unwrap_or(1).max(2) as f64;
        let max_loss = runs
            .iter()
            .flat_map(|r| r.epochs.iter().map(|e| e.loss))
            .filter(|l| l.is_finite())
            .fold(1.0f64, f64::max);
        let x = move |epoch: f64| pad + (epoch - 1.0) / (max_epoch - 1.0) * (width - 2.0 * pad);
        let y = move |share: f64| height - pad - share.clamp(0.0, 1.0) * (height - 2.0 * pad);
        let path = |values: Vec<(f64, f64)>| {
            values
                .iter()
                .enumerate()
                .map(|(i, (ex, v))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x(*ex), y(*v)))
                .collect::<String>()
        };
        let lines = runs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let colour = COLOURS[i % COLOURS.len()];
                let acc = path(r.epochs.iter().map(|e| (e.epoch as f64, e.test_acc)).collect());
                let loss = path(
                    r.epochs
                        .iter()
                        .map(|e| (e.epoch as f64, e.loss / max_loss))
                        .collect(),
                );
                view! {
                    <path d=acc fill="none" stroke=colour stroke-width="2" />
                    <path d=loss fill="none" stroke=colour stroke-width="1.5" stroke-dasharray="5 4" />
                }
            })
            .collect_view();
        let legend = runs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let colour = COLOURS[i % COLOURS.len()];
                let figures = r
                    .last()
                    .map_or(String::new(), |l| ChartText::TestAcc(l.test_acc).say(lang));
                view! {
                    <li class="legend-entry">
                        <span class="swatch" style=format!("background: {colour}")></span>
                        {format!("{}{figures}", r.name)}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <figure class="compare" data-runs=runs.len()>
                <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label=HistoryText::Compared.get(lang)>
                    <line x1=pad y1=y(0.0) x2=width - pad y2=y(0.0) stroke="#ccc" />
                    <line x1=pad y1=y(1.0) x2=width - pad y2=y(1.0) stroke="#eee" />
                    <text x=4 y=y(1.0) + 4.0 font-size="10">"1.0"</text>
                    <text x=4 y=y(0.0) + 4.0 font-size="10">"0"</text>
                    <text x=width - pad y=height - 8.0 font-size="10" text-anchor="end">{ChartText::Epochs(max_epoch as usize).say(lang)}</text>
                    {lines}
                </svg>
                <figcaption>
                    {ChartText::Caption { max_loss }.say(lang)}
                    <ul class="legend">{legend}</ul>
                </figcaption>
                {compared_table(&runs, lang)}
            </figure>
        })
    }
}

/// The compared runs' numbers, a row per epoch of each: the chart's text
/// alternative.
fn compared_table(runs: &[RunRecord], lang: Lang) -> impl IntoView + use<> {
    let rows = runs
        .iter()
        .flat_map(|run| {
            run.epochs.iter().map(|epoch| {
                view! {
                    <tr>
                        <td>{run.name.clone()}</td>
                        <td class="num">{epoch.epoch}</td>
                        <td class="num">{lang.number(epoch.test_acc, 3)}</td>
                        <td class="num">{lang.number(epoch.loss, 3)}</td>
                    </tr>
                }
            })
        })
        .collect_view();
    view! {
        <details class="as-table compare-table">
            <summary>{TrainText::ShowAsTable.get(lang)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{HistoryText::Name.get(lang)}</th>
                        <th scope="col">{TrainText::EpochAxis.get(lang)}</th>
                        <th scope="col">{TrainText::TestAcc.get(lang)}</th>
                        <th scope="col">{TrainText::TrainLoss.get(lang)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}
