//! Threads for the CPU backend in the browser. Burn's CPU backend splits its
//! convolutions and matrix products over rayon's global pool; in the
//! threaded worker (`threads` feature, `scripts/build-threads.sh`) that pool
//! is made of Web Workers sharing the worker's memory, each running this
//! same wasm (`www/worker_thread.js`). Shared memory needs a cross-origin
//! isolated page (COOP/COEP headers); elsewhere the page starts the
//! single-threaded worker, and the backend says why it has one thread.

use std::cell::{Cell, RefCell};

use crate::device::OneThread;
use crate::web::global_flag;

thread_local! {
    /// The threads the CPU backend runs on, once the pool is up.
    static THREADS: Cell<usize> = const { Cell::new(1) };
    /// Why the pool did not start, where it failed.
    static FAILED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The threads the CPU backend runs on, and why only one where so.
pub fn cpu_threads() -> (usize, Option<OneThread>) {
    let threads = THREADS.with(Cell::get);
    if threads > 1 {
        return (threads, None);
    }
    if let Some(detail) = FAILED.with(|failed| failed.borrow().clone()) {
        return (1, Some(OneThread::PoolFailed { detail }));
    }
    let why = if !cross_origin_isolated() {
        OneThread::NotIsolated
    } else if cfg!(feature = "threads") {
        OneThread::SingleCore
    } else {
        OneThread::NotBuilt
    };
    (1, Some(why))
}

/// Whether this page (or worker) may share memory between threads.
pub fn cross_origin_isolated() -> bool {
    global_flag("crossOriginIsolated")
}

/// Whether this wasm instance is one of the pool's threads rather than the
/// training worker itself (`worker_thread.js` marks it before loading).
pub fn is_pool_thread() -> bool {
    global_flag("__cnnpPoolThread")
}

/// The most threads worth starting: the browser's count of logical cores,
/// at most 8 (rayon's pool threads each hold a stack and a wasm instance,
/// and the nets' batches do not split usefully much further).
#[cfg(feature = "threads")]
fn wanted_threads() -> usize {
    use crate::web::{get, number};
    let cores = number(&get(&js_sys::global(), "navigator"), "hardwareConcurrency");
    (cores as usize).clamp(1, 8)
}

/// Starts the CPU backend's threads where this worker has them (the
/// threaded build on a cross-origin isolated page); a failure leaves one
/// thread and is said with the backend.
pub async fn start() {
    #[cfg(feature = "threads")]
    if let Err(why) = start_pool().await {
        web_sys::console::warn_1(&why.clone().into());
        FAILED.with(|failed| *failed.borrow_mut() = Some(why));
    }
}

/// Fills rayon's global pool with Web Workers, one per core. A worker the
/// training worker starts only begins once the training worker's event
/// loop is free, while rayon's `build_global` blocks until every thread of
/// the pool runs: so the workers start first and wait on a queue (each says
/// when it does), and only then does the pool hand them its threads.
/// Returns the number of threads.
#[cfg(feature = "threads")]
async fn start_pool() -> Result<usize, String> {
    use js_sys::{Array, Promise};
    use web_sys::{Worker, WorkerOptions, WorkerType};

    if !cross_origin_isolated() {
        return Ok(1);
    }
    let wanted = wanted_threads();
    if wanted < 2 {
        return Ok(1);
    }
    let started = Array::new();
    let mut workers = vec![];
    for i in 0..wanted {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Classic);
        options.set_name(&format!("cnnp-cpu-{i}"));
        let worker = Worker::new_with_options("./worker_thread.js", &options)
            .map_err(|e| format!("a CPU thread's worker did not start: {e:?}"))?;
        let ready = Promise::new(&mut |resolve, reject| {
            worker.set_onmessage(Some(&resolve));
            worker.set_onerror(Some(&reject));
        });
        started.push(&ready);
        let message = Array::of2(&wasm_bindgen::module(), &wasm_bindgen::memory());
        worker
            .post_message(&message)
            .map_err(|e| format!("a CPU thread's worker got no wasm: {e:?}"))?;
        workers.push(worker);
    }
    wasm_bindgen_futures::JsFuture::from(Promise::all(&started))
        .await
        .map_err(|e| format!("a CPU thread did not start: {e:?}"))?;
    for worker in &workers {
        worker.set_onmessage(None);
        worker.set_onerror(None);
    }
    // The pool's workers live as long as this one: keep their handles.
    std::mem::forget(workers);
    let queue = pool_queue();
    rayon::ThreadPoolBuilder::new()
        .num_threads(wanted)
        .spawn_handler(|thread| {
            queue
                .0
                .lock()
                .map_err(|_| std::io::Error::other("the CPU threads' queue is poisoned"))?
                .send(thread)
                .map_err(|_| std::io::Error::other("the CPU threads' queue is closed"))
        })
        .build_global()
        .map_err(|e| format!("rayon's pool did not start: {e}"))?;
    THREADS.with(|threads| threads.set(wanted));
    Ok(wanted)
}

/// Where the pool's threads, already running, wait for rayon's.
#[cfg(feature = "threads")]
type PoolQueue = (
    std::sync::Mutex<std::sync::mpsc::Sender<rayon::ThreadBuilder>>,
    std::sync::Mutex<std::sync::mpsc::Receiver<rayon::ThreadBuilder>>,
);

#[cfg(feature = "threads")]
fn pool_queue() -> &'static PoolQueue {
    static QUEUE: std::sync::OnceLock<PoolQueue> = std::sync::OnceLock::new();
    QUEUE.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel();
        (std::sync::Mutex::new(sender), std::sync::Mutex::new(receiver))
    })
}

/// A pool thread's body: called (through the worker binary's export) by
/// `worker_thread.js` once this wasm runs in it. Takes one of rayon's
/// threads from the queue and runs it: it returns when the pool ends
/// (never, in practice: it lives as long as the training worker).
#[cfg(feature = "threads")]
pub fn run_pool_thread() {
    let thread = pool_queue()
        .1
        .lock()
        .ok()
        .and_then(|receiver| receiver.recv().ok());
    if let Some(thread) = thread {
        thread.run();
    }
}
