//! Fashion-MNIST files picked from the user's disk.

use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::page_train::{FetchProblem, PickedFiles};
use crate::web::fetch::FILES;

/// The four picked files' bytes in the order of `FILES`, matched by name
/// (`t10k-labels…`, `train-images…`; a browser's "(1)" suffix is fine).
pub async fn read_picked(files: Vec<web_sys::File>) -> Result<Vec<ArrayBuffer>, PickedFiles> {
    let mut buffers = Vec::with_capacity(FILES.len());
    for wanted in FILES {
        let stem = wanted
            .trim_end_matches("-idx3-ubyte.gz")
            .trim_end_matches("-idx1-ubyte.gz");
        let file = files
            .iter()
            .find(|file| file.name().starts_with(stem))
            .ok_or(PickedFiles::Missing { file: wanted })?;
        let buffer = JsFuture::from(file.array_buffer())
            .await
            .map_err(|e| PickedFiles::NotRead {
                name: file.name(),
                reason: format!("{e:?}"),
            })?;
        buffers.push(buffer.unchecked_into());
    }
    Ok(buffers)
}

/// Offers `buffer` to the user as a download named `file_name`.
pub fn download(file_name: &str, buffer: &wasm_bindgen::JsValue) -> Result<(), String> {
    let parts = js_sys::Array::of1(buffer);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The browser has taken the file once the click is handled.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// The bytes at `url` (a weights file on this site), or why not.
pub async fn fetch_bytes(url: &str) -> Result<ArrayBuffer, FetchProblem> {
    let window = web_sys::window().ok_or(FetchProblem::NoWindow)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| FetchProblem::NotFetched {
            url: url.to_string(),
            reason: format!("{e:?}"),
        })?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchProblem::NotFound {
            url: url.to_string(),
            status: response.status(),
        });
    }
    let not_read = |e: wasm_bindgen::JsValue| FetchProblem::NotRead {
        url: url.to_string(),
        reason: format!("{e:?}"),
    };
    let promise = response.array_buffer().map_err(not_read)?;
    Ok(JsFuture::from(promise).await.map_err(not_read)?.unchecked_into())
}
