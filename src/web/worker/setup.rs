//! What every run needs first: the backend (WebGPU or the CPU) and the
//! data (fetched, from the browser's cache, or the files a user picked).

use std::rc::Rc;

use super::Worker;
use crate::protocol::{Command, DataLoadError, Report};
use crate::web::channel::{Envelope, post_report};
use crate::web::fetch::{self, Source};
use crate::web::webgpu::{self, Backend, BackendChoice};

pub(super) async fn choose(worker: Rc<Worker>, choice: BackendChoice) {
    let kept = worker.webgpu.borrow().clone();
    let chosen = webgpu::choose(choice, kept).await;
    if let (device, Backend::WebGpu(adapter)) = &chosen {
        *worker.webgpu.borrow_mut() = Some((device.clone(), adapter.clone()));
    }
    post_report(Report::Backend {
        backend: chosen.1.clone(),
    });
    *worker.device.borrow_mut() = Some(chosen);
}

pub(super) async fn load(worker: Rc<Worker>, data_url: String) {
    let mut last_percent = u64::MAX;
    let progress = |file: &str, loaded: u64, total: Option<u64>| {
        // A report per percent, not per network chunk.
        let percent = total.map_or(loaded >> 20, |total| loaded * 100 / total.max(1));
        if percent != last_percent || Some(loaded) == total {
            last_percent = percent;
            post_report(Report::Download {
                file: file.to_string(),
                loaded,
                total,
            });
        }
    };
    match fetch::load(&data_url, progress).await {
        Ok((train, test, source)) => {
            post_report(Report::DataReady {
                train: train.len(),
                test: test.len(),
                from_cache: source == Source::Cache,
            });
            *worker.data.borrow_mut() = Some(Rc::new((train, test)));
        }
        Err(error) => post_report(Report::DataFailed { error }),
    }
}

pub(super) fn use_files(worker: &Worker, command: &Envelope<Command>) {
    let files: Vec<Vec<u8>> = fetch::FILE_SLOTS
        .iter()
        .map(|&slot| command.bytes(slot))
        .collect();
    match fetch::decode(&files) {
        Ok((train, test)) => {
            post_report(Report::DataReady {
                train: train.len(),
                test: test.len(),
                from_cache: false,
            });
            *worker.data.borrow_mut() = Some(Rc::new((train, test)));
        }
        Err(e) => post_report(Report::DataFailed {
            error: DataLoadError::Decode {
                problem: e.to_string(),
            },
        }),
    }
}
