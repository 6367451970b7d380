//! The run history's storage: one IndexedDB object store of JSON records,
//! reached through `js_sys` (its few calls do not warrant more web-sys
//! bindings). Every failure — no IndexedDB (some private modes), blocked
//! storage, a full quota — comes back as a message, never a panic.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "cnn-playground";
const STORE: &str = "runs";
const VERSION: u32 = 1;

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target.method(...args)`.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method).dyn_into()?;
    function.apply(target, &args.iter().collect::<Array>())
}

/// What went wrong, as a person reads it: the DOMException's name and message.
fn describe(error: JsValue) -> String {
    let (name, message) = (
        get(&error, "name").as_string(),
        get(&error, "message").as_string(),
    );
    match (name, message) {
        (Some(name), Some(message)) if !message.is_empty() => format!("{name}: {message}"),
        (Some(name), _) => name,
        _ => format!("{error:?}"),
    }
}

/// An IDBRequest as a promise of its result.
async fn finished(request: &JsValue) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let on_success = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &get(&done, "result"));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &get(&failed, "error"));
        });
        let _ = Reflect::set(request, &"onsuccess".into(), &on_success);
        let _ = Reflect::set(request, &"onerror".into(), &on_error);
    });
    JsFuture::from(promise).await.map_err(describe)
}

/// The open database (an `IDBDatabase`).
#[derive(Clone, Debug)]
pub struct Database(JsValue);

impl Database {
    pub async fn open() -> Result<Database, String> {
        let factory = get(&js_sys::global(), "indexedDB");
        if factory.is_undefined() || factory.is_null() {
            return Err("this browser gives the page no IndexedDB".to_string());
        }
        let request = call(&factory, "open", &[DATABASE.into(), VERSION.into()]).map_err(describe)?;
        let upgrading = request.clone();
        let on_upgrade = Closure::once_into_js(move |_: JsValue| {
            let database = get(&upgrading, "result");
            let options = Object::new();
            let _ = Reflect::set(&options, &"keyPath".into(), &"id".into());
            let _ = call(&database, "createObjectStore", &[STORE.into(), options.into()]);
        });
        let _ = Reflect::set(&request, &"onupgradeneeded".into(), &on_upgrade);
        finished(&request).await.map(Database)
    }

    fn store(&self, mode: &str) -> Result<JsValue, String> {
        let transaction = call(&self.0, "transaction", &[STORE.into(), mode.into()]).map_err(describe)?;
        call(&transaction, "objectStore", &[STORE.into()]).map_err(describe)
    }

    /// Stores `json` under `id`, replacing what was there.
    pub async fn put(&self, id: f64, json: &str) -> Result<(), String> {
        let record = Object::new();
        let _ = Reflect::set(&record, &"id".into(), &id.into());
        let _ = Reflect::set(&record, &"json".into(), &json.into());
        let request = call(&self.store("readwrite")?, "put", &[record.into()]).map_err(describe)?;
        finished(&request).await.map(drop)
    }

    /// Every record's JSON, oldest first.
    pub async fn all(&self) -> Result<Vec<String>, String> {
        let request = call(&self.store("readonly")?, "getAll", &[]).map_err(describe)?;
        let records: Array = finished(&request).await?.dyn_into().map_err(describe)?;
        Ok(records
            .iter()
            .filter_map(|record| get(&record, "json").as_string())
            .collect())
    }

    pub async fn delete(&self, id: f64) -> Result<(), String> {
        let request = call(&self.store("readwrite")?, "delete", &[id.into()]).map_err(describe)?;
        finished(&request).await.map(drop)
    }
}
