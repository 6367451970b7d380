//! A picture of one's own: drawn on the pad, or a file.

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::Say;
use crate::i18n::page_inside::{InsideText, PageStep, PictureProblem, PictureSource};
use crate::picture::Picture;
use crate::ui::canvas::{picture_from_file, read_canvas};
use crate::ui::inside_state::{Inside, OwnPicture};
use crate::ui::lang::{lang, tr};
use crate::web::protocol::PictureRef;

/// A picture of one's own: a file (picked or dropped) or a drawing.
#[component]
pub fn OwnPicturePicker() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let lang = lang();
    let message = RwSignal::new(None::<PictureProblem>);
    let take = move |result: Result<Picture, PictureProblem>, source: PictureSource| match result {
        Ok(picture) => {
            message.set(None);
            inside.own.set(Some(OwnPicture {
                pixels: picture.pixels.clone(),
                note: picture.note(),
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
            take(picture_from_file(&file).await, PictureSource::File(name));
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
            None => message.set(Some(PictureProblem::NoFileDropped)),
        }
    };
    view! {
        <div class="own" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
            <strong>{tr(InsideText::OwnTitle)}</strong>
            <p class="hint">{tr(InsideText::OwnHint)}</p>
            <DrawingPad on_picture=Callback::new(move |result| take(result, PictureSource::Drawing)) />
            <label class="file">
                {tr(InsideText::PictureFile)}
                <input type="file" name="own-picture" accept="image/*" on:change=on_change />
            </label>
            {move || message.get().map(|m| view! { <p class="inside-problem" role="alert">{move || m.say(lang.get())}</p> })}
        </div>
    }
}

/// Side of the drawing pad, in pixels (drawn at this size, then read).
const PAD: u32 = 168;

/// A dark square to draw on with a mouse, a pen or a finger, light
/// strokes as Fashion-MNIST's objects are; each finished stroke is
/// classified.
#[component]
pub fn DrawingPad(
    on_picture: Callback<Result<Picture, PictureProblem>>,
    /// The canvas's class, and the clear button's name: one pad per view.
    #[prop(default = "drawing")]
    canvas_class: &'static str,
    #[prop(default = "clear-drawing")] clear_name: &'static str,
    /// Cleared each time this changes.
    #[prop(optional)]
    cleared: Option<Signal<usize>>,
) -> impl IntoView {
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
        if let Some(cleared) = cleared {
            cleared.track();
        }
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
            Some((w, h, rgba)) => crate::picture::from_rgba(w, h, &rgba).map_err(PictureProblem::Drawing),
            None => Err(PictureProblem::Page(PageStep::Drawing)),
        };
        on_picture.run(result);
    };
    view! {
        <div class="pad">
            <canvas
                node_ref=node
                class=canvas_class
                // Drawn with a pointer only: it says so, and that the file
                // picker beside it is the way without one.
                role="img"
                aria-label=tr(InsideText::PadLabel)
                width=PAD
                height=PAD
                style=format!("width: {PAD}px; height: {PAD}px")
                on:pointerdown=down
                on:pointermove=moved
                on:pointerup=up
                on:pointercancel=up
            ></canvas>
            <button name=clear_name on:click=move |_| clear()>{tr(InsideText::Clear)}</button>
        </div>
    }
}
