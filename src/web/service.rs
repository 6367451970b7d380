//! The app's copy in this browser, from the page's side: registers the
//! service worker (`www/sw.js`, versioned by build by `scripts/make_sw.py`)
//! that keeps the page, the workers, their shims and styles for a visit
//! without a connection, and says when a newer build is ready. A build
//! replaces the one before whole, and only when the reader says so
//! ([`apply_update`]): until then the page, its worker and every file they
//! load are of one build.
//!
//! Where there is no service worker (a page not served over https or
//! localhost, an old browser), nothing here does anything: the page works
//! as before, online.

use std::cell::Cell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::AppCopy;
use crate::web::get;

/// The service worker's script, beside `index.html` (its scope is that
/// folder).
const SCRIPT: &str = "./sw.js";

thread_local! {
    /// The reader asked for the newer build: reload once it has taken over.
    static RELOADING: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<JsValue> {
    let container = get(&get(&js_sys::global(), "navigator"), "serviceWorker");
    (!container.is_undefined() && !container.is_null()).then_some(container)
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method).dyn_into()?;
    function.apply(target, &args.iter().collect())
}

fn on(target: &JsValue, event: &str, handler: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(handler);
    let _ = call(
        target,
        "addEventListener",
        &[JsValue::from_str(event), closure.as_ref().clone()],
    );
    // Listens as long as the page lives.
    closure.forget();
}

fn present(value: &JsValue) -> bool {
    !value.is_undefined() && !value.is_null()
}

/// Registers the service worker and watches for newer builds: `notice`
/// hears when one is ready, or when another tab switched to it. Resolves
/// when this build's service worker is active, so that a worker the page
/// starts next goes through it (and is kept for a visit without a
/// connection), or after `wait_ms` at most; at once where there is none.
pub async fn register(notice: impl Fn(AppCopy) + Clone + 'static, wait_ms: u32) {
    let Some(container) = container() else {
        return;
    };
    let controlled = present(&get(&container, "controller"));
    let registered = match call(&container, "register", &[JsValue::from_str(SCRIPT)]) {
        Ok(promise) => JsFuture::from(Promise::from(promise)).await,
        Err(e) => Err(e),
    };
    let registration = match registered {
        Ok(registration) => registration,
        Err(e) => {
            web_sys::console::warn_1(&format!("the service worker could not be registered: {e:?}").into());
            return;
        }
    };
    // A newer build already waits (fetched on an earlier visit or tab).
    if controlled && present(&get(&registration, "waiting")) {
        notice(AppCopy::UpdateReady);
    }
    {
        let registration_ = registration.clone();
        let container = container.clone();
        let notice = notice.clone();
        on(&registration, "updatefound", move || {
            let installing = get(&registration_, "installing");
            let (installing_, container, notice) = (installing.clone(), container.clone(), notice.clone());
            on(&installing, "statechange", move || {
                // Installed beside a build in use: it waits for the reader.
                if get(&installing_, "state").as_string().as_deref() == Some("installed")
                    && present(&get(&container, "controller"))
                {
                    notice(AppCopy::UpdateReady);
                }
            });
        });
    }
    on(&container, "controllerchange", move || {
        if RELOADING.with(Cell::get) {
            reload();
        } else if controlled {
            // Another tab took the newer build: what this page loads next
            // would be of it. Say so; the reader reloads.
            notice(AppCopy::UpdatedElsewhere);
        }
    });
    // The first visit: wait (a little) for the service worker to take
    // this page, so that the training worker's files go through it.
    let ready = get(&container, "ready");
    if !controlled && ready.is_instance_of::<Promise>() {
        let timeout = Promise::new(&mut |resolve, _| {
            let _ = call(
                &js_sys::global(),
                "setTimeout",
                &[resolve.into(), JsValue::from_f64(wait_ms as f64)],
            );
        });
        let either: js_sys::Array = [ready, timeout.into()].into_iter().collect();
        let _ = JsFuture::from(Promise::race(&either)).await;
    }
}

/// Switches to the newer build: the waiting service worker takes over and
/// the page reloads into it (or at once, where another tab already did).
pub fn apply_update() {
    RELOADING.with(|reloading| reloading.set(true));
    let Some(container) = container() else {
        return reload();
    };
    let registration = call(&container, "getRegistration", &[]);
    wasm_bindgen_futures::spawn_local(async move {
        let registration = match registration {
            Ok(promise) => JsFuture::from(Promise::from(promise))
                .await
                .unwrap_or(JsValue::UNDEFINED),
            Err(_) => JsValue::UNDEFINED,
        };
        let waiting = get(&registration, "waiting");
        if !present(&waiting) {
            return reload();
        }
        let message = Object::new();
        let _ = Reflect::set(
            &message,
            &JsValue::from_str("type"),
            &JsValue::from_str("skip-waiting"),
        );
        if call(&waiting, "postMessage", &[message.into()]).is_err() {
            reload();
        }
        // `controllerchange` reloads the page.
    });
}

/// Asks the service worker to keep the files of `group` (`www/sw.js`'s
/// groups: "webgpu-worker", "threads-worker"): the worker this page
/// started, in case it loaded before the service worker took the page. A
/// file it has is not fetched again; one the HTTP cache has is revalidated.
pub fn keep(group: &'static str) {
    let Some(container) = container() else {
        return;
    };
    let ready = get(&container, "ready");
    if !ready.is_instance_of::<Promise>() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(Promise::from(ready)).await else {
            return;
        };
        let message = Object::new();
        let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("keep"));
        let _ = Reflect::set(&message, &JsValue::from_str("group"), &JsValue::from_str(group));
        let _ = call(&get(&registration, "active"), "postMessage", &[message.into()]);
    });
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Whether the browser says it has no connection now.
pub fn offline() -> bool {
    get(&get(&js_sys::global(), "navigator"), "onLine").as_bool() == Some(false)
}

/// Calls `changed(offline)` when the browser goes offline or back online.
pub fn watch_connection(changed: impl Fn(bool) + Clone + 'static) {
    let window = js_sys::global();
    let went = changed.clone();
    on(&window, "offline", move || went(true));
    on(&window, "online", move || changed(false));
}
