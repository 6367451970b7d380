//! Images of one's own read from disk: a picked or dropped folder (its
//! files' paths planned here, so that only the images or IDX files are
//! read), or a zip
//! (read whole; the worker unpacks it). The bytes go to the worker as they
//! are; the browser decodes them there.

use std::collections::HashMap;

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::data::contents;
use crate::data::own::{OwnDataError, OwnSource, OwnSourceKind};
use crate::ui::client::OwnFiles;

/// The most bytes of files read from disk: the page keeps a copy for a
/// worker that replaces this one, and the worker decodes from its own.
pub const MAX_READ_BYTES: u64 = 512 << 20;

/// A file and the path it has under the folder picked or dropped
/// (`shapes/circle/001.png`).
pub struct PathedFile {
    pub path: String,
    pub file: web_sys::File,
}

fn unreadable(path: &str, e: JsValue) -> OwnDataError {
    OwnDataError::Unreadable {
        path: path.to_string(),
        reason: e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

fn too_much(bytes: u64) -> OwnDataError {
    OwnDataError::FilesTooLarge {
        bytes,
        limit: MAX_READ_BYTES,
    }
}

async fn bytes_of(path: &str, file: &web_sys::File) -> Result<Uint8Array, OwnDataError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| unreadable(path, e))?;
    Ok(Uint8Array::new(&buffer))
}

/// The files of `<input webkitdirectory>`, with their paths.
pub fn picked_folder(list: &web_sys::FileList) -> Vec<PathedFile> {
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|file| {
            let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|p| p.as_string())
                .filter(|p| !p.is_empty());
            PathedFile {
                path: relative.unwrap_or_else(|| file.name()),
                file,
            }
        })
        .collect()
}

/// A folder's files that `data::contents` wants (its IDX files, or its
/// class folders' images in plan order), read one after another.
pub async fn read_folder(files: Vec<PathedFile>, keep_colour: bool) -> Result<OwnFiles, OwnDataError> {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let name = paths
        .first()
        .and_then(|p| p.split('/').next())
        .unwrap_or("data")
        .to_string();
    let contents = contents::contents(&paths, &name)?;
    let by_path: HashMap<&str, &web_sys::File> = files.iter().map(|f| (f.path.as_str(), &f.file)).collect();
    let planned: Vec<(&str, &web_sys::File)> = contents
        .wanted(&paths)
        .into_iter()
        .filter_map(|path| by_path.get(path).map(|&file| (path, file)))
        .collect();
    let total: u64 = planned.iter().map(|(_, file)| file.size() as u64).sum();
    if total > MAX_READ_BYTES {
        return Err(too_much(total));
    }
    let all = Uint8Array::new_with_length(total as u32);
    let mut ends = Vec::with_capacity(planned.len() * 4);
    let mut at = 0u32;
    for (path, file) in planned {
        let bytes = bytes_of(path, file).await?;
        // A file that changed size since it was listed must still fit.
        if at as u64 + bytes.length() as u64 > total {
            return Err(unreadable(
                path,
                JsValue::from_str("the file changed while it was read"),
            ));
        }
        all.set(&bytes, at);
        at += bytes.length();
        ends.extend_from_slice(&at.to_le_bytes());
    }
    let files: ArrayBuffer = all.subarray(0, at).slice(0, at).buffer();
    Ok(OwnFiles {
        source: OwnSource {
            name,
            kind: OwnSourceKind::Folder,
            paths,
            keep_colour,
        },
        files,
        ends: Uint8Array::from(ends.as_slice()).buffer(),
    })
}

/// A zip, read whole.
pub async fn read_zip(file: &web_sys::File, keep_colour: bool) -> Result<OwnFiles, OwnDataError> {
    let name = file.name();
    if file.size() as u64 > MAX_READ_BYTES {
        return Err(too_much(file.size() as u64));
    }
    let bytes = bytes_of(&name, file).await?;
    let stem = name.strip_suffix(".zip").unwrap_or(&name).to_string();
    Ok(OwnFiles {
        source: OwnSource {
            name: stem,
            kind: OwnSourceKind::Zip,
            paths: vec![],
            keep_colour,
        },
        files: bytes.buffer(),
        ends: ArrayBuffer::new(0),
    })
}

/// The files under a dropped folder (`DataTransferItem.webkitGetAsEntry`),
/// with their paths from the folder's own name down.
pub async fn dropped_folder(entry: JsValue) -> Result<Vec<PathedFile>, OwnDataError> {
    let mut out = vec![];
    let mut stack = vec![entry];
    while let Some(entry) = stack.pop() {
        let path = get_string(&entry, "fullPath").trim_start_matches('/').to_string();
        if get(&entry, "isDirectory").as_bool() == Some(true) {
            stack.extend(read_directory(&entry).await.map_err(|e| unreadable(&path, e))?);
        } else {
            let file = entry_file(&entry).await.map_err(|e| unreadable(&path, e))?;
            out.push(PathedFile { path, file });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn get_string(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// Calls `object.method(resolve, reject)`, the entries API's callback
/// style, as a promise.
async fn callback_call(object: &JsValue, method: &str) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = get(object, method).dyn_into()?;
    let object = object.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = function.call2(&object, &resolve, &reject);
    });
    JsFuture::from(promise).await
}

async fn entry_file(entry: &JsValue) -> Result<web_sys::File, JsValue> {
    callback_call(entry, "file").await?.dyn_into()
}

/// Every entry of a directory: `readEntries` gives them in batches until
/// an empty one.
async fn read_directory(entry: &JsValue) -> Result<Vec<JsValue>, JsValue> {
    let create: js_sys::Function = get(entry, "createReader").dyn_into()?;
    let reader = create.call0(entry)?;
    let mut entries = vec![];
    loop {
        let batch: js_sys::Array = callback_call(&reader, "readEntries").await?.dyn_into()?;
        if batch.length() == 0 {
            return Ok(entries);
        }
        entries.extend(batch.iter());
    }
}
