//! Fashion-MNIST files picked from the user's disk.

use js_sys::ArrayBuffer;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::web::fetch::FILES;

/// The four picked files' bytes in the order of `FILES`, matched by name
/// (`t10k-labels…`, `train-images…`; a browser's "(1)" suffix is fine).
pub async fn read_picked(files: Vec<web_sys::File>) -> Result<Vec<ArrayBuffer>, String> {
    let mut buffers = Vec::with_capacity(FILES.len());
    for wanted in FILES {
        let stem = wanted
            .trim_end_matches("-idx3-ubyte.gz")
            .trim_end_matches("-idx1-ubyte.gz");
        let file = files
            .iter()
            .find(|file| file.name().starts_with(stem))
            .ok_or_else(|| format!("missing {wanted} among the picked files"))?;
        let buffer = JsFuture::from(file.array_buffer())
            .await
            .map_err(|e| format!("could not read {}: {e:?}", file.name()))?;
        buffers.push(buffer.unchecked_into());
    }
    Ok(buffers)
}
