//! Fashion-MNIST in the browser: fetched from the app's own assets with
//! progress, kept in the Cache API so a reload does not download 30 MB
//! again, decoded by the core's loader. Works in a page and in a worker.

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Response};

use crate::data::{self, Dataset};
use crate::protocol::{DataLoadError, DownloadError};
use crate::web::channel::Slot;
use crate::web::get;

/// The cache the four files are kept in; bump the version if they change.
const CACHE_NAME: &str = "cnnp-fashion-mnist-v1";

/// The files in the order they are fetched: the small test set first.
pub const FILES: [&str; 4] = [
    data::TEST_LABELS,
    data::TEST_IMAGES,
    data::TRAIN_LABELS,
    data::TRAIN_IMAGES,
];

/// The slot each of [`FILES`] crosses to the worker in, when picked from disk.
pub const FILE_SLOTS: [Slot; 4] = [
    Slot::TestLabelsFile,
    Slot::TestImagesFile,
    Slot::TrainLabelsFile,
    Slot::TrainImagesFile,
];

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

async fn call_promise(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let function: Function = get(target, method)
        .dyn_into()
        .map_err(|_| format!("{method} is not available here"))?;
    let array: js_sys::Array = args.iter().collect();
    let promise: Promise = function
        .apply(target, &array)
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| format!("{method} gave no promise"))?;
    JsFuture::from(promise).await.map_err(describe)
}

async fn open_cache() -> Option<Cache> {
    let caches = get(&js_sys::global(), "caches");
    if caches.is_undefined() {
        return None; // e.g. a page not served over http(s)
    }
    call_promise(&caches, "open", &[JsValue::from_str(CACHE_NAME)])
        .await
        .ok()
        .and_then(|cache| cache.dyn_into().ok())
}

async fn cached(cache: &Cache, url: &str) -> Option<Vec<u8>> {
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: Response = found.dyn_into().ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// Downloads `url`, reporting `(bytes so far, total if known)` as it goes.
async fn download(url: &str, progress: &mut impl FnMut(u64, Option<u64>)) -> Result<Vec<u8>, DownloadError> {
    let url_ = || url.to_string();
    let response: Response = call_promise(&js_sys::global(), "fetch", &[JsValue::from_str(url)])
        .await
        .map_err(|detail| DownloadError::CouldNotFetch { url: url_(), detail })?
        .dyn_into()
        .map_err(|_| DownloadError::NotAResponse { url: url_() })?;
    if !response.ok() {
        return Err(DownloadError::Status {
            url: url_(),
            status: response.status(),
            text: response.status_text(),
        });
    }
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.parse::<u64>().ok());
    let body = response
        .body()
        .ok_or_else(|| DownloadError::EmptyResponse { url: url_() })?;
    let reader: web_sys::ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| DownloadError::Unreadable { url: url_() })?;
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    progress(0, total);
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| DownloadError::BrokeOff {
                url: url_(),
                detail: describe(e),
            })?;
        if get(&chunk, "done").as_bool().unwrap_or(true) {
            break;
        }
        let value: Uint8Array = get(&chunk, "value").unchecked_into();
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
        progress(bytes.len() as u64, total);
    }
    if let Some(total) = total
        && bytes.len() as u64 != total
    {
        return Err(DownloadError::CutShort {
            url: url_(),
            got: bytes.len() as u64,
            total,
        });
    }
    Ok(bytes)
}

/// Where the data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Cache,
    Network,
}

/// The train and test sets, from the cache or from `base_url` (which ends
/// with a `/`). `progress(file, loaded, total)` follows each download.
pub async fn load(
    base_url: &str,
    mut progress: impl FnMut(&str, u64, Option<u64>),
) -> Result<(Dataset, Dataset, Source), DataLoadError> {
    let cache = open_cache().await;
    let mut files = Vec::with_capacity(FILES.len());
    let mut source = Source::Cache;
    for name in FILES {
        let url = format!("{base_url}{name}");
        let hit = match &cache {
            Some(cache) => cached(cache, &url).await,
            None => None,
        };
        let bytes = match hit {
            Some(bytes) => bytes,
            None => {
                source = Source::Network;
                download(&url, &mut |loaded, total| progress(name, loaded, total))
                    .await
                    .map_err(DataLoadError::Download)?
            }
        };
        files.push(bytes);
    }
    let decoded = decode(&files);
    match (&cache, decoded) {
        (Some(cache), Ok(sets)) => {
            if source == Source::Network {
                // Only files that decoded are kept.
                for (name, bytes) in FILES.iter().zip(&mut files) {
                    let response = Response::new_with_opt_u8_array(Some(bytes))
                        .map_err(|e| DataLoadError::Cache { detail: describe(e) })?;
                    let _ = JsFuture::from(cache.put_with_str(&format!("{base_url}{name}"), &response)).await;
                }
            }
            Ok((sets.0, sets.1, source))
        }
        (Some(cache), Err(e)) if source == Source::Cache => {
            // A stale or damaged cache: forget it; the caller may retry.
            for name in FILES {
                let _ = JsFuture::from(cache.delete_with_str(&format!("{base_url}{name}"))).await;
            }
            Err(DataLoadError::CacheDamaged {
                problem: e.to_string(),
            })
        }
        (_, decoded) => {
            decoded
                .map(|(train, test)| (train, test, source))
                .map_err(|e| DataLoadError::Decode {
                    problem: e.to_string(),
                })
        }
    }
}

/// Decodes the four files, given in the order of [`FILES`].
pub fn decode(files: &[Vec<u8>]) -> Result<(Dataset, Dataset), data::DataError> {
    let test = Dataset::from_gz(FILES[1], &files[1], FILES[0], &files[0])?;
    let train = Dataset::from_gz(FILES[3], &files[3], FILES[2], &files[2])?;
    Ok((train, test))
}
