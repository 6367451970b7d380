//! What a clicked row of the table outputs for the picture, and a
//! convolution's filters.

use leptos::prelude::*;

use super::MAPS_SHOWN;
use crate::format::shape;
use crate::i18n::page_inside::{
    FiltersLine, InsideText, LayerTitle, MapTitle, OddShape, OutputLine, ShowChannels, ValueRange,
};
use crate::shape::{ShapeTable, row_path_text};
use crate::training::explain::Position;
use crate::ui::canvas::{Bitmap, bars_rgba, heat_rgba, magnitude};
use crate::ui::inside_state::{Inside, InsideAnswer};
use crate::ui::lang::{say, tr};
use wasm_bindgen::JsCast;

use super::explain_view::ExplainView;

/// What the clicked row outputs for the picture: one small image per
/// channel on a shared scale, bars for a flat layer, and a convolution's
/// filters.
#[component]
pub fn LayerView(table: Memo<Option<ShapeTable>>) -> impl IntoView {
    let inside = expect_context::<Inside>();
    move || {
        let path = inside.layer.get()?;
        let table = table.get()?;
        let row = table.row_at(&path)?.clone();
        let last_row = path == [table.rows.len() - 1];
        let answer = inside
            .answer
            .get()
            .filter(|answer| answer.layer == path && !answer.shape.is_empty());
        let show_all = inside.show_all.get();
        let title = say(LayerTitle {
            path: row_path_text(&path),
            name: row.name.clone(),
            settings: row.settings.clone(),
            output: shape(&row.output),
        });
        let body = match answer {
            None => view! { <p class="waiting">{tr(InsideText::AskingWorker)}</p> }.into_any(),
            Some(answer) => view! {
                {output_view(&answer, last_row, show_all, inside)}
                <ExplainView path=path.clone() shape=answer.shape.clone() />
            }
            .into_any(),
        };
        let close = move |_| inside.layer.set(None);
        Some(view! {
            <div class="layer-view" data-shape=shape(&row.output) data-row=row_path_text(&path)>
                <div class="layer-view-head">
                    <strong>{title}</strong>
                    <button class="chip" name="close-layer" on:click=close>{tr(InsideText::Close)}</button>
                </div>
                {body}
            </div>
        })
    }
}

fn output_view(
    answer: &InsideAnswer,
    last_row: bool,
    show_all: bool,
    inside: Inside,
) -> impl IntoView + use<> {
    let (lo, hi) = answer
        .values
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let range = ValueRange { lo, hi };
    let toggle = move |_| inside.show_all.update(|all| *all = !*all);
    let outputs = match answer.shape[..] {
        [_, channels, h, w] => {
            let shown = if show_all {
                channels
            } else {
                channels.min(MAPS_SHOWN)
            };
            let scale = magnitude(&answer.values[..shown * h * w]);
            let css = if w >= 40 { 96 } else { 64 };
            let row = answer.layer.clone();
            let maps = answer.values[..shown * h * w]
                .chunks(h * w)
                .enumerate()
                .map(|(c, map)| {
                    let row = row.clone();
                    let click = move |ev: web_sys::MouseEvent| {
                        if let Some((y, x)) = cell_clicked(&ev, h, w) {
                            inside.explain.set(Some((row.clone(), Position::new(c, y, x))));
                        }
                    };
                    view! {
                        <figure class="map" data-channel=c on:click=click>
                            <Bitmap width=w height=h rgba=heat_rgba(map, scale) css_width=css title=Signal::derive(say(MapTitle::Channel(c))) />
                            {marker(inside, answer.layer.clone(), c, w, css)}
                            <figcaption>{c}</figcaption>
                        </figure>
                    }
                })
                .collect_view();
            let more = (channels > MAPS_SHOWN).then(|| view! {
                <button class="link" name="show-all" on:click=toggle>
                    {say(if show_all { ShowChannels::First(MAPS_SHOWN) } else { ShowChannels::All(channels) })}
                </button>
            });
            view! {
                <p class="range">{say(OutputLine::Maps { channels, height: h, width: w })}{say(range)}</p>
                <div class="maps" data-channels=shown>{maps}</div>
                {more}
            }
            .into_any()
        }
        [_, features] => {
            let scale = magnitude(&answer.values);
            let what = match last_row {
                true => OutputLine::Logits,
                false => OutputLine::Bars(features),
            };
            let row = answer.layer.clone();
            let click = move |ev: web_sys::MouseEvent| {
                if let Some((_, feature)) = cell_clicked(&ev, 1, features) {
                    inside
                        .explain
                        .set(Some((row.clone(), Position::new(feature, 0, 0))));
                }
            };
            view! {
                <p class="range">{say(what)}{say(range)}</p>
                <div class="bars" on:click=click>
                    <Bitmap width=features height=48 rgba=bars_rgba(&answer.values, scale, 48) css_width=features.clamp(160, 640) />
                </div>
            }
            .into_any()
        }
        _ => view! { <p>{say(OddShape(shape(&answer.shape)))}</p> }.into_any(),
    };
    let filters = answer.filters.as_ref().map(|(filters, values)| {
        let [out, shown_in, kh, kw] = filters.shape;
        let out_shown = if show_all { out } else { out.min(MAPS_SHOWN) };
        let scale = magnitude(values);
        // One row per output channel, its kernels side by side; a single
        // input channel's kernels (the first convolution's) in one row.
        let (columns, css) = match shown_in {
            1 => (out_shown.min(16), 40),
            n => (n, 28),
        };
        let kernels = values
            .chunks(kh * kw)
            .take(out_shown * shown_in)
            .enumerate()
            .map(|(i, kernel)| view! {
                <Bitmap width=kw height=kh rgba=heat_rgba(kernel, scale) css_width=css
                    title=Signal::derive(say(MapTitle::Kernel { output: i / shown_in, input: i % shown_in })) />
            })
            .collect_view();
        let line = FiltersLine {
            outputs_shown: out_shown,
            outputs: out,
            inputs_shown: shown_in,
            inputs: filters.in_channels,
            kernel: [kh, kw],
            scale,
        };
        view! {
            <p class="range">{say(line)}</p>
            <div class="filters" tabindex="0" style=format!("grid-template-columns: repeat({columns}, {css}px)") data-filters=out_shown * shown_in>{kernels}</div>
        }
    });
    view! {
        {outputs}
        {filters}
    }
}

/// The cell of an `h`×`w` map a click on its canvas landed on.
fn cell_clicked(ev: &web_sys::MouseEvent, h: usize, w: usize) -> Option<(usize, usize)> {
    let canvas: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let (width, height) = (
        canvas.client_width().max(1) as f64,
        canvas.client_height().max(1) as f64,
    );
    let x = (ev.offset_x() as f64 / width * w as f64).floor() as usize;
    let y = (ev.offset_y() as f64 / height * h as f64).floor() as usize;
    (canvas.tag_name().eq_ignore_ascii_case("canvas")).then_some((y.min(h - 1), x.min(w - 1)))
}

/// A frame around the cell being explained, if it is in channel `c`'s map
/// (`w` cells wide, drawn `css` pixels wide: square cells).
fn marker(inside: Inside, row: Vec<usize>, c: usize, w: usize, css: usize) -> impl IntoView {
    move || {
        let (asked_row, at) = inside.explain.get()?;
        (asked_row == row && at.channel == c).then(|| {
            let cell = css as f64 / w as f64;
            let style = format!(
                "left: {:.1}px; top: {:.1}px; width: {cell:.1}px; height: {cell:.1}px",
                at.x as f64 * cell + 1.0,
                at.y as f64 * cell + 1.0,
            );
            view! { <span class="map-marker" style=style aria-hidden="true"></span> }
        })
    }
}
