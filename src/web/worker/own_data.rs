//! Images of one's own, in the worker: a folder's files or a zip, as the
//! page handed them over, planned as torchvision's `ImageFolder` reads
//! them (`data::folder`), checked for memory from their headers, decoded by
//! the browser (`createImageBitmap`, then an `OffscreenCanvas`) and made
//! into the data runs train on. What fails leaves the data held before.

use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ColorSpaceConversion, ImageBitmap, ImageBitmapOptions, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d, PremultiplyAlpha, WorkerGlobalScope,
};

use super::Worker;
use super::setup::{install, ready};
use crate::data::contents::{self, Contents};
use crate::data::folder::{self, Assembly, Decoded};
use crate::data::own::{OwnDataError, OwnSource, OwnSourceKind, SkipReason, Splits};
use crate::picture::{self, MAX_PIXELS};
use crate::protocol::{Command, DataLoadError, Report, Slot};
use crate::web::channel::{Envelope, post_report};

/// The most a set's images may take once decoded in the tab: a quarter of
/// what a 32-bit wasm memory can address, leaving room for the model, its
/// gradients and the batches (the same on WebGPU, whose batches are made
/// here before they are uploaded).
pub const MEMORY_LIMIT: u64 = 1 << 30;
/// The most a zip may unpack to in the tab.
pub const UNPACKED_LIMIT: u64 = 1 << 30;

/// Reads what `UseOwnData` brought, then installs it or says why not.
pub(super) fn use_own(worker: Rc<Worker>, command: Envelope<Command>) {
    let Command::UseOwnData { source } = &command.message else {
        return;
    };
    let source = source.clone();
    let files = command.bytes(Slot::OwnFiles);
    let ends = ends(&command.bytes(Slot::OwnFileEnds));
    wasm_bindgen_futures::spawn_local(async move {
        match read(&source, files, &ends).await {
            Ok(splits) => {
                *worker.data_state.own.borrow_mut() = Some(splits.about());
                install(&worker, (splits.train, splits.test), true);
                ready(&worker, false);
            }
            Err(error) => {
                post_report(Report::DataFailed {
                    error: DataLoadError::Own { error },
                });
                // What the worker held before, it still holds.
                if worker.data().is_some() {
                    ready(&worker, true);
                }
            }
        }
    });
}

/// `u32` little-endian ends, as the page wrote them.
fn ends(bytes: &[u8]) -> Vec<usize> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect()
}

/// A folder's files as the page wrote them, one after another: `count`
/// of them, each ending where `ends` says.
fn split(name: &str, files: Vec<u8>, ends: &[usize], count: usize) -> Result<Vec<Vec<u8>>, OwnDataError> {
    let mut start = 0;
    let mut bytes = Vec::with_capacity(ends.len());
    for &end in ends {
        bytes.push(files.get(start..end).unwrap_or_default().to_vec());
        start = end;
    }
    match bytes.len() == count && start == files.len() {
        true => Ok(bytes),
        false => Err(OwnDataError::Unreadable {
            path: name.to_string(),
            reason: format!("{} files came for {count}", bytes.len()),
        }),
    }
}

async fn read(source: &OwnSource, files: Vec<u8>, ends: &[usize]) -> Result<Splits, OwnDataError> {
    let (plan, bytes) = match source.kind {
        OwnSourceKind::Zip => contents::zip_images(&files, UNPACKED_LIMIT)?,
        OwnSourceKind::Folder => {
            let contents = contents::contents(&source.paths, &source.name)?;
            let count = contents.wanted(&source.paths).len();
            let bytes = split(&source.name, files, ends, count)?;
            match contents {
                Contents::Idx { files, class_names } => {
                    return contents::idx_splits(&source.name, &source.paths, (files, class_names), &bytes);
                }
                Contents::Images(plan) => (plan, bytes),
            }
        }
    };
    let sizes: Vec<Option<(usize, usize)>> = bytes
        .iter()
        .map(|b| picture::dimensions(b).map(|(w, h)| (w as usize, h as usize)))
        .collect();
    let known = sizes.iter().flatten().copied();
    folder::check_headers(plan.images.len(), known, source.keep_colour, MEMORY_LIMIT)?;
    let mut decoded = Vec::with_capacity(bytes.len());
    for (file, size) in bytes.into_iter().zip(sizes) {
        decoded.push(decode(file, size).await);
    }
    let assembly = Assembly {
        keep_colour: source.keep_colour,
        ..Assembly::default()
    };
    folder::assemble(&source.name, plan, decoded, assembly)
}

fn undecodable(reason: impl Into<String>) -> SkipReason {
    SkipReason::Undecodable {
        reason: reason.into(),
    }
}

/// One image as RGB, decoded by the browser as it stands in the file (no
/// colour management, alpha dropped as the `image` crate's `to_rgb8` does).
async fn decode(file: Vec<u8>, size: Option<(usize, usize)>) -> Result<Decoded, SkipReason> {
    if let Some((width, height)) = size
        && width.saturating_mul(height) > MAX_PIXELS
    {
        return Err(SkipReason::TooLarge { width, height });
    }
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let parts = Array::of1(&Uint8Array::from(file.as_slice()));
    drop(file);
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(|e| undecodable(format!("{e:?}")))?;
    let options = ImageBitmapOptions::new();
    options.set_color_space_conversion(ColorSpaceConversion::None);
    options.set_premultiply_alpha(PremultiplyAlpha::None);
    let promise = scope
        .create_image_bitmap_with_blob_and_image_bitmap_options(&blob, &options)
        .map_err(|e| undecodable(format!("{e:?}")))?;
    let bitmap: ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| undecodable("the browser cannot decode it"))?
        .unchecked_into();
    let (width, height) = (bitmap.width() as usize, bitmap.height() as usize);
    let rgba = draw(&bitmap);
    bitmap.close();
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(SkipReason::TooLarge { width, height });
    }
    let rgba = rgba?;
    let rgb = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    Ok(Decoded { width, height, rgb })
}

/// A bitmap's RGBA, through a canvas of its size.
fn draw(bitmap: &ImageBitmap) -> Result<Vec<u8>, SkipReason> {
    let (w, h) = (bitmap.width(), bitmap.height());
    let canvas = OffscreenCanvas::new(w, h).map_err(|e| undecodable(format!("{e:?}")))?;
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or_else(|| undecodable("no 2D canvas in this worker"))?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap(bitmap, 0.0, 0.0)
        .map_err(|e| undecodable(format!("{e:?}")))?;
    let data = context
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .map_err(|e| undecodable(format!("{e:?}")))?;
    Ok(data.data().0)
}
