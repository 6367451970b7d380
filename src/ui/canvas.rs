//! Pictures on canvases: grey images, feature maps and weights on one
//! shared colour scale, bar strips; the drawing pad; pictures from files.

use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::data::ImageFormat;
use crate::i18n::page_inside::{PageStep, PictureProblem};
use crate::picture::{self, Picture};

/// A picture file larger than this is refused before it is decoded: the
/// decoded bitmap of a bigger one could take the tab's memory.
pub const MAX_FILE_BYTES: f64 = 20e6;
/// A decoded picture larger than this (in pixels) is refused.
pub const MAX_DECODED_PIXELS: u32 = 50_000_000;
/// Pictures are scaled down to at most this side before they are read.
const READ_SIDE: f64 = 256.0;

/// Grey levels as RGBA.
pub fn grey_rgba(pixels: &[u8]) -> Vec<u8> {
    pixels.iter().flat_map(|&v| [v, v, v, 255]).collect()
}

/// An image's levels as the data holds them (channel after channel: one
/// grey, or red, green and blue) as RGBA.
pub fn levels_rgba(format: ImageFormat, levels: &[u8]) -> Vec<u8> {
    let plane = format.height * format.width;
    match format.channels {
        3 if levels.len() == 3 * plane => (0..plane)
            .flat_map(|p| [levels[p], levels[plane + p], levels[2 * plane + p], 255])
            .collect(),
        _ => grey_rgba(&levels[..plane.min(levels.len())]),
    }
}

/// Values on a diverging scale shared by a whole view, as CNN Explainer
/// draws activations: 0 is white, `+scale` full red, `-scale` full blue.
pub fn heat_rgba(values: &[f32], scale: f32) -> Vec<u8> {
    let scale = if scale > 0.0 { scale } else { 1.0 };
    values
        .iter()
        .flat_map(|&v| {
            let t = (v / scale).clamp(-1.0, 1.0);
            let fade = |t: f32| (255.0 * (1.0 - t)).round() as u8;
            match t >= 0.0 {
                true => [200u8.max(fade(t)), fade(t), fade(t), 255],
                false => [fade(-t), fade(-t), 220u8.max(fade(-t)), 255],
            }
        })
        .collect()
}

/// The largest magnitude among `values` (the shared scale).
pub fn magnitude(values: &[f32]) -> f32 {
    values.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

/// A strip of `values` as bars, one pixel column each, `height` tall, up
/// from the middle for positive values and down for negative ones.
pub fn bars_rgba(values: &[f32], scale: f32, height: usize) -> Vec<u8> {
    let width = values.len();
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let middle = height / 2;
    let mut rgba = vec![255u8; width * height * 4];
    for (x, &v) in values.iter().enumerate() {
        let reach = ((v / scale).clamp(-1.0, 1.0) * middle as f32).round() as i64;
        let (from, to, colour) = match reach >= 0 {
            true => (middle as i64 - reach, middle as i64, [200, 60, 40]),
            false => (middle as i64, middle as i64 - reach, [50, 90, 200]),
        };
        for y in from.max(0)..=to.min(height as i64 - 1) {
            let at = (y as usize * width + x) * 4;
            rgba[at..at + 3].copy_from_slice(&colour);
        }
    }
    rgba
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Puts `rgba` (`width`×`height`) on `canvas`, resizing it to fit.
pub fn paint(canvas: &HtmlCanvasElement, width: usize, height: usize, rgba: &[u8]) {
    if width * height * 4 != rgba.len() || width == 0 {
        return;
    }
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    if let (Some(context), Ok(image)) = (
        context(canvas),
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width as u32, height as u32),
    ) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

/// A `width`×`height` bitmap, shown `css_width` pixels wide, sharp; its
/// tooltip `title` follows the reader's language.
#[component]
pub fn Bitmap(
    width: usize,
    height: usize,
    rgba: Vec<u8>,
    css_width: usize,
    #[prop(optional, into)] title: Signal<String>,
) -> impl IntoView {
    let node = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        if let Some(canvas) = node.get() {
            paint(&canvas, width, height, &rgba);
        }
    });
    view! {
        <canvas
            node_ref=node
            class="bitmap"
            width=width
            height=height
            title=move || title.get()
            style=format!("width: {css_width}px")
            data-width=width
            data-height=height
        ></canvas>
    }
}

/// The RGBA bytes on a canvas.
pub fn read_canvas(canvas: &HtmlCanvasElement) -> Option<(usize, usize, Vec<u8>)> {
    let (w, h) = (canvas.width(), canvas.height());
    let data = context(canvas)?
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .ok()?;
    Some((w as usize, h as usize, data.data().0))
}

/// A picture file made into a Fashion-MNIST image, or what is wrong with it.
pub async fn picture_from_file(file: &web_sys::File) -> Result<Picture, PictureProblem> {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        return Err(PictureProblem::FileTooBig {
            name,
            bytes: file.size(),
            max_bytes: MAX_FILE_BYTES,
        });
    }
    let browser = |name: &str| {
        let name = name.to_string();
        move |e: wasm_bindgen::JsValue| PictureProblem::Browser {
            name,
            detail: format!("{e:?}"),
        }
    };
    // A small file can hold a huge picture: its header says how big before
    // the browser decodes it.
    let bytes = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| PictureProblem::Unread {
            name: name.clone(),
            detail: format!("{e:?}"),
        })?;
    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
    if let Some((w, h)) = picture::dimensions(&bytes)
        && (w as u64) * (h as u64) > MAX_DECODED_PIXELS as u64
    {
        return Err(too_large(name, w, h));
    }
    let window = web_sys::window().ok_or(PictureProblem::Page(PageStep::Window))?;
    let promise = window
        .create_image_bitmap_with_blob(file)
        .map_err(browser(&name))?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| PictureProblem::NotAPicture { name: name.clone() })?
        .unchecked_into();
    let (w, h) = (bitmap.width(), bitmap.height());
    if (w as u64) * (h as u64) > MAX_DECODED_PIXELS as u64 {
        bitmap.close();
        return Err(too_large(name, w, h));
    }
    // Scaled down on a canvas first: the picture is read at most 256 px on
    // a side, whatever its size.
    let scale = (READ_SIDE / w.max(h).max(1) as f64).min(1.0);
    let (dw, dh) = (
        ((w as f64 * scale).round() as u32).max(1),
        ((h as f64 * scale).round() as u32).max(1),
    );
    let canvas: HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .ok_or(PictureProblem::Page(PageStep::Canvas))?
        .unchecked_into();
    canvas.set_width(dw);
    canvas.set_height(dh);
    let drawn = context(&canvas)
        .ok_or(PictureProblem::Page(PageStep::Context))?
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, dw as f64, dh as f64);
    bitmap.close();
    drawn.map_err(browser(&name))?;
    let (w, h, rgba) = read_canvas(&canvas).ok_or(PictureProblem::Page(PageStep::ReadBack))?;
    picture::from_rgba(w, h, &rgba).map_err(|error| PictureProblem::Picture { name, error })
}

fn too_large(name: String, width: u32, height: u32) -> PictureProblem {
    PictureProblem::TooManyPixels {
        name,
        width,
        height,
        max_pixels: MAX_DECODED_PIXELS,
    }
}
