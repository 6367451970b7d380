//! Inside the net: the test images with what the net predicts (the book's
//! `predict_ch3`), what a clicked row of the table outputs for the chosen
//! picture (CNN Explainer's maps), a convolution's filters, and a picture
//! of one's own, drawn or dropped. Everything comes from the worker
//! (`Command::LookInside`); the page draws it.

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::{CLASS_NAMES, SIDE};
use crate::format::shape;
use crate::shape::{ShapeTable, row_path_text};
use crate::ui::ClientHandle;
use crate::ui::canvas::{Bitmap, bars_rgba, grey_rgba, heat_rgba, magnitude, picture_from_file, read_canvas};
use crate::ui::inside_state::{Inside, InsideAnswer, OwnPicture};
use crate::ui::run::Run;
use crate::ui::state::Settings;
use crate::web::protocol::{Command, PictureRef};

/// Images per page of the gallery: two rows of eight.
const GALLERY: usize = 16;
/// Channels (and filters) shown before "show all".
pub const MAPS_SHOWN: usize = 64;

fn class_name(class: impl Into<usize>) -> &'static str {
    CLASS_NAMES.get(class.into()).copied().unwrap_or("?")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

/// The whole "inside the net" section, under the table.
#[component]
pub fn InsidePanel(table: Memo<Option<ShapeTable>>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let inside = expect_context::<Inside>();
    let client = expect_context::<ClientHandle>();
    // Asks the worker again whenever what is looked at changes, and as
    // training goes (five times an epoch, and when it ends).
    Effect::new(move |_| {
        let (active, layer, picture, own) = (
            inside.active.get(),
            inside.layer.get(),
            inside.picture.get(),
            inside.own.get(),
        );
        run.points.with(Vec::len);
        run.history.with(Vec::len);
        run.phase.get();
        if !active {
            return;
        }
        let (Ok(net), Some(table)) = (settings.net(), table.get()) else {
            return;
        };
        let resize = table.input[2];
        let own = match picture {
            PictureRef::Own => match own {
                Some(own) => Some(own.pixels),
                None => return,
            },
            PictureRef::Test { .. } => None,
        };
        let command = Command::LookInside {
            net,
            resize,
            picture,
            layer: layer.unwrap_or_default(),
        };
        client.with_value(|client| client.look_inside(command, own));
    });
    let start = move |_| inside.active.set(true);
    view! {
        <section class="inside" aria-labelledby="inside-title">
            <h3 id="inside-title">"Inside the net"</h3>
            {move || match inside.active.get() || inside.predictions.with(Option::is_some) {
                false => view! {
                    <p class="inside-intro">
                        "Click a row of the table to see what it outputs for a test image, or "
                        <button class="link" name="look-inside" on:click=start>"show the test images"</button>
                        ". Before training the filters are random: worth seeing too."
                    </p>
                }.into_any(),
                true => view! { <Gallery /> }.into_any(),
            }}
            <div class="inside-grid">
                <ChosenPicture />
                <OwnPicturePicker />
            </div>
            <LayerView table=table />
        </section>
    }
}

/// The test images the net was evaluated on, true class over predicted
/// class as the book prints them, mistakes in red; filtered to mistakes
/// or to a cell of the confusion matrix.
#[component]
fn Gallery() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let client = expect_context::<ClientHandle>();
    // Which test images the gallery lists, all pages together.
    let listed = Memo::new(move |_| {
        let (mistakes_only, cell) = (inside.mistakes_only.get(), inside.cell.get());
        inside
            .predictions
            .with(|p| p.as_ref().map(|p| p.matching(mistakes_only, cell)))
    });
    let shown = Memo::new(move |_| {
        let start = inside.gallery_start.get();
        match listed.get() {
            Some(listed) => listed.into_iter().skip(start).take(GALLERY).collect::<Vec<_>>(),
            None => (start..start + GALLERY).collect(),
        }
    });
    Effect::new(move |_| {
        if !inside.data_loaded.get() {
            return;
        }
        let missing: Vec<usize> = inside.images.with_untracked(|images| {
            shown
                .get()
                .into_iter()
                .filter(|i| !images.contains_key(i))
                .collect()
        });
        if !missing.is_empty() {
            client.with_value(|client| client.test_images(missing));
        }
    });
    let total = move || listed.get().map(|listed| listed.len());
    let page = move |step: isize| {
        let start = inside.gallery_start.get_untracked() as isize + step * GALLERY as isize;
        let last = total().map_or(10_000, |n| n.saturating_sub(1)) as isize;
        inside.gallery_start.set(start.clamp(0, last.max(0)) as usize);
    };
    let on_mistakes = move |ev: leptos::ev::Event| {
        let checked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked());
        inside.mistakes_only.set(checked);
        inside.cell.set(None);
        inside.gallery_start.set(0);
    };
    let heading = move || match (inside.predictions.get(), inside.cell.get()) {
        (None, _) => "Test images (train to see what the net predicts)".to_string(),
        (Some(p), Some((label, predicted))) => format!(
            "{}: {} {} images classified as {}",
            capitalised(&p.when),
            total().unwrap_or(0),
            class_name(label),
            class_name(predicted)
        ),
        (Some(p), None) => format!(
            "{}: true class over predicted class ({} images{})",
            capitalised(&p.when),
            total().unwrap_or(0),
            if inside.mistakes_only.get() {
                ", mistakes only"
            } else {
                ""
            }
        ),
    };
    view! {
        <div class="gallery-head">
            <span class="gallery-title">{heading}</span>
            {move || inside.cell.get().map(|_| view! {
                <button class="chip" name="clear-cell" on:click=move |_| inside.cell.set(None)>"show all ✕"</button>
            })}
            <label class="switch">
                <input
                    type="checkbox"
                    name="mistakes-only"
                    prop:checked=move || inside.mistakes_only.get()
                    disabled=move || inside.predictions.with(Option::is_none)
                    on:change=on_mistakes
                />
                "mistakes only"
            </label>
            <button name="gallery-previous" on:click=move |_| page(-1) disabled=move || inside.gallery_start.get() == 0>"◀"</button>
            <button name="gallery-next" on:click=move |_| page(1)
                disabled=move || total().is_some_and(|n| inside.gallery_start.get() + GALLERY >= n)>"▶"</button>
        </div>
        <div class="gallery">
            {move || {
                let predictions = inside.predictions.get();
                let chosen = inside.picture.get();
                shown.get().into_iter().map(|index| {
                    let image = inside.images.with(|images| images.get(&index).cloned());
                    let predicted = predictions.as_ref().and_then(|p| p.predicted.get(index).copied());
                    let (label, pixels) = match image {
                        Some(image) => image,
                        None => return view! { <figure class="thumb waiting"></figure> }.into_any(),
                    };
                    let wrong = predicted.is_some_and(|p| p != label);
                    let caption = match predicted {
                        Some(p) => format!("{}\n{}", class_name(label), class_name(p)),
                        None => class_name(label).to_string(),
                    };
                    let pick = move |_| inside.picture.set(PictureRef::Test { index });
                    view! {
                        <figure
                            class="thumb"
                            class:wrong=wrong
                            class:chosen=chosen == PictureRef::Test { index }
                            data-index=index
                            on:click=pick
                        >
                            <Bitmap width=SIDE height=SIDE rgba=grey_rgba(&pixels) css_width=56 title=format!("test image {index}") />
                            <figcaption>{caption}</figcaption>
                        </figure>
                    }.into_any()
                }).collect_view()
            }}
        </div>
    }
}

/// The picture looked at, larger, and the ten class probabilities.
#[component]
fn ChosenPicture() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let step = move |by: isize| {
        if let PictureRef::Test { index } = inside.picture.get_untracked() {
            let index = (index as isize + by).max(0) as usize;
            inside.picture.set(PictureRef::Test { index });
            inside.active.set(true);
        }
    };
    move || {
        let answer = inside.answer.get();
        let problem = inside.problem.get();
        let picture = inside.picture.get();
        let title = match picture {
            PictureRef::Test { index } => format!("test image {index}"),
            PictureRef::Own => inside.own.with(|own| {
                own.as_ref()
                    .map_or("your picture".to_string(), |own| own.source.clone())
            }),
        };
        let answer = answer.filter(|answer| answer.picture == picture);
        view! {
            <div class="chosen">
                <div class="chosen-head">
                    <button name="picture-previous" title="previous test image" on:click=move |_| step(-1)>"◀"</button>
                    <strong>{title}</strong>
                    <button name="picture-next" title="next test image" on:click=move |_| step(1)>"▶"</button>
                </div>
                {problem.map(|p| view! { <p class="inside-problem" role="alert">{p}</p> })}
                {answer.map(|answer| chosen_view(&answer, inside))}
            </div>
        }
    }
}

fn chosen_view(answer: &InsideAnswer, inside: Inside) -> impl IntoView + use<> {
    let note = match answer.picture {
        PictureRef::Own => inside
            .own
            .with_untracked(|own| own.as_ref().and_then(|own| own.note.clone())),
        PictureRef::Test { .. } => None,
    };
    let label = answer.label.map(|l| format!("true class: {}", class_name(l)));
    view! {
        <div class="chosen-body">
            <figure class="chosen-image">
                <Bitmap width=SIDE height=SIDE rgba=grey_rgba(&answer.pixels) css_width=112 title="what the net sees (28×28, before resizing)" />
                <figcaption>{label}</figcaption>
            </figure>
            <Probabilities answer=answer.clone() />
        </div>
        {note.map(|note| view! { <p class="picture-note">{note}</p> })}
        <p class="weights">{format!("weights: {}", answer.weights)}</p>
    }
}

/// The ten probabilities as bars, the predicted class marked.
#[component]
fn Probabilities(answer: InsideAnswer) -> impl IntoView {
    let predicted = answer
        .probabilities
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(class, _)| class);
    let sum: f32 = answer.probabilities.iter().sum();
    let rows = answer
        .probabilities
        .iter()
        .enumerate()
        .map(|(class, &p)| {
            let truth = answer.label.map(usize::from) == Some(class);
            view! {
                <li class:predicted=class == predicted class:truth=truth data-p=p>
                    <span class="class">{class_name(class)}{truth.then_some(" ✓")}</span>
                    <span class="bar"><span style=format!("width: {:.1}%", p * 100.0)></span></span>
                    <span class="p">{format!("{p:.2}")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="probabilities" data-sum=sum data-predicted=class_name(predicted)>
            <p class="probabilities-head">{format!("predicted: {}", class_name(predicted))}</p>
            <ol>{rows}</ol>
        </div>
    }
}

/// What the clicked row outputs for the picture: one small image per
/// channel on a shared scale, bars for a flat layer, and a convolution's
/// filters.
#[component]
fn LayerView(table: Memo<Option<ShapeTable>>) -> impl IntoView {
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
        let title = format!(
            "row {} · {}{} → {}",
            row_path_text(&path),
            row.name,
            match row.settings.as_str() {
                "" => String::new(),
                s => format!(" ({s})"),
            },
            shape(&row.output)
        );
        let body = match answer {
            None => view! { <p class="waiting">"asking the worker…"</p> }.into_any(),
            Some(answer) => output_view(&answer, last_row, show_all, inside).into_any(),
        };
        let close = move |_| inside.layer.set(None);
        Some(view! {
            <div class="layer-view" data-shape=shape(&row.output) data-row=row_path_text(&path)>
                <div class="layer-view-head">
                    <strong>{title}</strong>
                    <button class="chip" name="close-layer" on:click=close>"close ✕"</button>
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
    let range =
        format!("values from {lo:.3} to {hi:.3}; one colour scale for all: blue below 0, white 0, red above");
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
            let maps = answer.values[..shown * h * w]
                .chunks(h * w)
                .enumerate()
                .map(|(c, map)| view! {
                    <figure class="map">
                        <Bitmap width=w height=h rgba=heat_rgba(map, scale) css_width=css title=format!("channel {c}") />
                        <figcaption>{c}</figcaption>
                    </figure>
                })
                .collect_view();
            let more = (channels > MAPS_SHOWN).then(|| view! {
                <button class="link" name="show-all" on:click=toggle>
                    {if show_all { format!("show the first {MAPS_SHOWN}") } else { format!("show all {channels} channels") }}
                </button>
            });
            view! {
                <p class="range">{format!("{channels} channels of {h}×{w}; ")}{range}</p>
                <div class="maps" data-channels=shown>{maps}</div>
                {more}
            }
            .into_any()
        }
        [_, features] => {
            let scale = magnitude(&answer.values);
            let what = match last_row {
                true => "the logits, one per class; their softmax is the probabilities above".to_string(),
                false => format!("{features} values as bars"),
            };
            view! {
                <p class="range">{format!("{what}; ")}{range}</p>
                <Bitmap width=features height=48 rgba=bars_rgba(&answer.values, scale, 48) css_width=features.clamp(160, 640) />
            }
            .into_any()
        }
        _ => view! { <p>{format!("an output of shape {:?}", answer.shape)}</p> }.into_any(),
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
                    title=format!("output {}, input {}", i / shown_in, i % shown_in) />
            })
            .collect_view();
        let inputs = match filters.in_channels > shown_in {
            true => format!("the kernels over its first {shown_in} of {} input channels", filters.in_channels),
            false => format!("{} input channel{}", shown_in, if shown_in == 1 { "" } else { "s" }),
        };
        view! {
            <p class="range">{format!("filters: {out_shown} of {out} outputs, {inputs} ({kh}×{kw}){}; weights up to ±{scale:.3}", if shown_in > 1 { ", one row per output" } else { "" })}</p>
            <div class="filters" style=format!("grid-template-columns: repeat({columns}, {css}px)") data-filters=out_shown * shown_in>{kernels}</div>
        }
    });
    view! {
        {outputs}
        {filters}
    }
}

/// A picture of one's own: a file (picked or dropped) or a drawing.
#[component]
fn OwnPicturePicker() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let message = RwSignal::new(None::<String>);
    let take = move |result: Result<crate::picture::Picture, String>, source: String| match result {
        Ok(picture) => {
            message.set(None);
            inside.own.set(Some(OwnPicture {
                pixels: picture.pixels.clone(),
                note: picture.note().map(str::to_string),
                source,
            }));
            inside.picture.set(PictureRef::Own);
            inside.active.set(true);
        }
        // The picture shown before stays.
        Err(e) => message.set(Some(e)),
    };
    let open_file = move |file: web_sys::File| {
        leptos::task::spawn_local(async move {
            let name = file.name();
            take(picture_from_file(&file).await, name);
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev.target().expect("an input").unchecked_into();
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            open_file(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        match ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            Some(file) => open_file(file),
            None => message.set(Some("drop a picture file here".to_string())),
        }
    };
    view! {
        <div class="own" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <strong>"Your own picture"</strong>
            <p class="hint">"Draw a piece of clothing, or drop or pick a photo; it is made into a 28×28 grey image as Fashion-MNIST's are."</p>
            <DrawingPad on_picture=Callback::new(move |result| take(result, "your drawing".to_string())) />
            <label class="file">
                "picture file: "
                <input type="file" name="own-picture" accept="image/*" on:change=on_change />
            </label>
            {move || message.get().map(|m| view! { <p class="inside-problem" role="alert">{m}</p> })}
        </div>
    }
}

/// Side of the drawing pad, in pixels (drawn at this size, then read).
const PAD: u32 = 168;

/// A dark square to draw on with a mouse, a pen or a finger, light
/// strokes as Fashion-MNIST's objects are; each finished stroke is
/// classified.
#[component]
fn DrawingPad(on_picture: Callback<Result<crate::picture::Picture, String>>) -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    let drawing = StoredValue::new(false);
    let context = move || {
        node.get_untracked()
            .and_then(|canvas| canvas.get_context("2d").ok().flatten())
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    };
    let clear = move || {
        if let Some(c) = context() {
            c.set_fill_style_str("#000");
            c.fill_rect(0.0, 0.0, PAD as f64, PAD as f64);
            c.set_stroke_style_str("#fff");
            c.set_line_width(14.0);
            c.set_line_cap("round");
            c.set_line_join("round");
        }
    };
    Effect::new(move |_| {
        if node.get().is_some() {
            clear();
        }
    });
    let down = move |ev: leptos::ev::PointerEvent| {
        ev.prevent_default();
        if let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
        drawing.set_value(true);
        if let Some(c) = context() {
            c.begin_path();
            c.move_to(ev.offset_x() as f64, ev.offset_y() as f64);
            c.line_to(ev.offset_x() as f64 + 0.1, ev.offset_y() as f64);
            c.stroke();
        }
    };
    let moved = move |ev: leptos::ev::PointerEvent| {
        if drawing.get_value()
            && let Some(c) = context()
        {
            c.line_to(ev.offset_x() as f64, ev.offset_y() as f64);
            c.stroke();
        }
    };
    let up = move |_: leptos::ev::PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        drawing.set_value(false);
        let read = node.get_untracked().and_then(|canvas| read_canvas(&canvas));
        let result = match read {
            Some((w, h, rgba)) => crate::picture::from_rgba(w, h, &rgba).map_err(|e| match e {
                crate::picture::PictureError::Empty => {
                    "the drawing is empty: draw something first".to_string()
                }
                e => e.to_string(),
            }),
            None => Err("the drawing could not be read".to_string()),
        };
        on_picture.run(result);
    };
    view! {
        <div class="pad">
            <canvas
                node_ref=node
                class="drawing"
                width=PAD
                height=PAD
                style=format!("width: {PAD}px; height: {PAD}px")
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up
                on:pointercancel=up
            ></canvas>
            <button name="clear-drawing" on:click=move |_| clear()>"clear"</button>
        </div>
    }
}
