//! Fashion-MNIST in the browser: fetched from the app's own assets with
//! progress, kept in the Cache API so a reload (or a visit without a
//! connection) does not download it again, decoded by the core's loader.
//! Works in a page and in a worker. The shards a run needs are fetched by
//! `web::shards` with these tools; the four canonical files whole (`load`)
//! where the site has no shards.

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Response};

use crate::data::{self, Dataset};
use crate::protocol::{DataLoadError, DownloadError};
use crate::web::channel::Slot;
use crate::web::get;

/// The cache the data is kept in (the four files, the shards and their
/// manifest); bump the version if they change. The service worker
/// (`www/sw.js`) leaves it alone: it is not the app's, and outlives builds.
pub const CACHE_NAME: &str = "cnnp-fashion-mnist-v1";

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

pub(crate) fn describe(error: JsValue) -> String {
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

pub(crate) async fn open_cache() -> Option<Cache> {
    let caches = get(&js_sys::global(), "caches");
    if caches.is_undefined() {
        return None; // e.g. a page not served over http(s)
    }
    call_promise(&caches, "open", &[JsValue::from_str(CACHE_NAME)])
        .await
        .ok()
        .and_then(|cache| cache.dyn_into().ok())
}

pub(crate) async fn cached(cache: &Cache, url: &str) -> Option<Vec<u8>> {
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: Response = found.dyn_into().ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// Keeps `bytes` as `url`'s in `cache`.
pub(crate) async fn store(cache: &Cache, url: &str, bytes: &mut [u8]) -> Result<(), DataLoadError> {
    let response = Response::new_with_opt_u8_array(Some(bytes))
        .map_err(|e| DataLoadError::Cache { detail: describe(e) })?;
    JsFuture::from(cache.put_with_str(url, &response))
        .await
        .map(|_| ())
        .map_err(|e| DataLoadError::Cache { detail: describe(e) })
}

/// Forgets `url` in `cache` (a damaged copy).
pub(crate) async fn forget(cache: &Cache, url: &str) {
    let _ = JsFuture::from(cache.delete_with_str(url)).await;
}

/// How a download may use the browser's HTTP cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fetch {
    /// As the server's cache rules say.
    Normal,
    /// From the network, whatever the HTTP cache holds: a second try after
    /// a copy that arrived wrong.
    Reload,
}

/// Downloads `url`, reporting `(bytes so far, total if known)` as it goes.
pub(crate) async fn download(
    url: &str,
    how: Fetch,
    progress: &mut impl FnMut(u64, Option<u64>),
) -> Result<Vec<u8>, DownloadError> {
    let url_ = || url.to_string();
    let init = js_sys::Object::new();
    if how == Fetch::Reload {
        let _ = js_sys::Reflect::set(&init, &JsValue::from_str("cache"), &JsValue::from_str("reload"));
    }
    let response: Response = call_promise(&js_sys::global(), "fetch", &[JsValue::from_str(url), init.into()])
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
    let header = |name: &str| response.headers().get(name).ok().flatten();
    // A body the server compressed on the way (`Content-Encoding`) arrives
    // decoded, and its `Content-Length` counts the encoded bytes: no total
    // to show or to check it against (a cut in it fails the decoding).
    let encoded = header("content-encoding").is_some_and(|coding| coding != "identity");
    let total = header("content-length")
        .filter(|_| !encoded)
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

/// The train and test sets whole, from the cache or from the four
/// canonical files under `base_url` (which ends with a `/`): where the site
/// has no shards. `progress(file, loaded, total)` follows each download.
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
                download(&url, Fetch::Normal, &mut |loaded, total| {
                    progress(name, loaded, total)
                })
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
                    let _ = store(cache, &format!("{base_url}{name}"), bytes).await;
                }
            }
            Ok((sets.0, sets.1, source))
        }
        (Some(cache), Err(e)) if source == Source::Cache => {
            // A stale or damaged cache: forget it; the caller may retry.
            for name in FILES {
                forget(cache, &format!("{base_url}{name}")).await;
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
