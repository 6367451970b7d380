//! What the worker says, turned into the page's state: the worker's
//! readiness here, the run's state in `Run`, what the net shows inside in
//! `Inside`, the weights bar's notes beside them.

use leptos::prelude::*;

use super::Client;
use crate::i18n::run::{Loaded, WeightsNote, WeightsProblem, WorkerLoss};
use crate::i18n::{Lang, Say};
use crate::protocol::{Command, DataLoadError, Images, Report};
use crate::training::Event;
use crate::web::channel::{Envelope, Slot};
use crate::web::webgpu::Backend;

impl Client {
    pub(super) fn receive(&self, envelope: Envelope<Report>) {
        let report = &envelope.message;
        match report {
            Report::Ready => {
                self.shared.outbox.borrow_mut().readiness.listening = true;
                // This worker's files, kept for a visit without a connection.
                let threaded = self.shared.life.borrow().threaded;
                crate::web::service::keep(if threaded {
                    "threads-worker"
                } else {
                    "webgpu-worker"
                });
                let choice = self.settings.backend.get_untracked();
                self.send(Command::ChooseBackend { choice });
            }
            Report::Backend { backend } => self.backend_chosen(backend.clone()),
            Report::DataReady {
                train,
                test,
                all,
                own,
                ..
            } => {
                self.data_is(own.as_ref());
                self.run.on_report(report, None);
                {
                    let mut outbox = self.shared.outbox.borrow_mut();
                    outbox.readiness.data = Images {
                        train: *train,
                        test: *test,
                    };
                    outbox.readiness.all_data = *all;
                }
                self.inside.data_loaded.set(true);
                self.flush();
            }
            Report::DataFailed {
                error: DataLoadError::Own { error },
            } => {
                // The worker keeps what it held (and says so next); the
                // page keeps what it had picked.
                self.shared.data.borrow_mut().trying = None;
                self.run.own_problem.set(Some(error.clone()));
                if self.shared.outbox.borrow_mut().drop_run() {
                    self.run.not_started();
                }
                self.flush();
            }
            Report::DataFailed { .. } => {
                self.run.on_report(report, None);
                // The run waiting for the data is not started (not on part
                // of it either); what else waits may go once a retry brings it.
                let held = self.shared.outbox.borrow().readiness.data;
                self.data_failed(held);
                if self.shared.outbox.borrow_mut().drop_run() {
                    self.run.not_started();
                }
                self.flush();
            }
            Report::Preparing => {
                self.run_answered();
                self.run_started();
            }
            Report::Training { event } => self.training_event(event.clone()),
            Report::Finished { ending } => {
                self.run_answered();
                let said = ending
                    .message()
                    .map_or_else(|| "finished".to_string(), |ending| ending.say(Lang::En));
                self.end_record(said);
                self.run.on_report(report, None);
            }
            Report::Failed { error } => {
                self.run_answered();
                self.end_record(format!("failed: {}", error.say(Lang::En)));
                self.run.on_report(report, None);
            }
            Report::Inside { .. } | Report::InsideFailed { .. } => {
                self.inside.on_report(&envelope);
                self.shared.outbox.borrow_mut().inside_answered();
                self.flush();
            }
            Report::TestImages { .. } | Report::Predictions { .. } => self.inside.on_report(&envelope),
            Report::WeightsFile { file_name } => {
                let buffer = envelope.buffer(Slot::WeightsFile);
                match crate::ui::files::download(file_name, &buffer) {
                    Ok(()) => self.run.weights_note.set(Some(WeightsNote::Saved {
                        file: file_name.clone(),
                    })),
                    Err(detail) => self
                        .run
                        .weights_problem
                        .set(Some(WeightsProblem::DownloadFailed { detail })),
                }
            }
            Report::WeightsLoaded { .. } => self.weights_loaded(report),
            Report::WeightsFailed { failure } => {
                self.run.weights_note.set(None);
                self.run
                    .weights_problem
                    .set(Some(WeightsProblem::Failed(failure.clone())));
            }
            // The error event that follows restarts the worker.
            Report::Panicked { message } => {
                web_sys::console::error_1(&message.clone().into());
                self.shared.life.borrow_mut().panicked(message.clone());
            }
            // Whatever ran on that device is gone with it: the worker is
            // replaced by a CPU one, as after a crash.
            Report::DeviceLost { message } => match self.run.backend.get_untracked() {
                Some(Backend::WebGpu(_)) => self.crashed(WorkerLoss::DeviceLost {
                    message: message.trim_end_matches('.').to_string(),
                }),
                _ => web_sys::console::warn_1(
                    &format!("a WebGPU device not in use was lost: {message}").into(),
                ),
            },
            Report::Download { .. }
            | Report::Prepared { .. }
            | Report::Paused
            | Report::Resumed
            | Report::Memory { .. } => self.run.on_report(report, None),
            // The benchmark page (www/bench.html) asks for these, not this page.
            Report::Bench { .. } | Report::Profile { .. } | Report::Trace { .. } | Report::Pong => {}
        }
    }

    /// The worker said what became of the run sent to it.
    fn run_answered(&self) {
        self.shared.outbox.borrow_mut().run_answered();
        self.run.set_queued(self.shared.outbox.borrow().run_waits_for());
    }

    /// The worker chose its backend: kept, unless a faster worker suits it.
    fn backend_chosen(&self, backend: Backend) {
        // Auto (or WebGPU) ended on the CPU in the WebGPU worker: on an
        // isolated page the threaded one runs the CPU faster.
        let swap = matches!(backend, Backend::Cpu { .. })
            && !self.shared.life.borrow().threaded
            && crate::web::threads::cross_origin_isolated()
            && !self.run.phase.get_untracked().is_running();
        if swap {
            return self.replace_worker(true);
        }
        self.run.backend.set(Some(backend));
        self.shared.outbox.borrow_mut().readiness.backend = true;
        self.flush();
    }

    /// The worker started the run the page asked for.
    fn run_started(&self) {
        let asked = self.shared.records.borrow().asked().cloned();
        self.run.on_report(&Report::Preparing, asked.as_ref());
        self.begin_record();
    }

    fn training_event(&self, event: Event) {
        if let Event::Batch { step_ms, .. } = event {
            self.shared.life.borrow_mut().step_took(step_ms);
        }
        let epoch_ended = matches!(event, Event::Epoch { .. });
        self.run.on_event(event, || self.shared.records.borrow().title());
        if epoch_ended {
            self.update_record();
        }
    }

    fn weights_loaded(&self, report: &Report) {
        let Report::WeightsLoaded {
            name,
            description,
            trained_epochs,
            net,
            resize,
            test_acc,
            test_images,
        } = report
        else {
            return;
        };
        let switched = self.settings.show_net(net, *resize);
        self.run
            .weights_note
            .set(Some(WeightsNote::Loaded(Box::new(Loaded {
                name: name.clone(),
                description: description.clone(),
                trained_epochs: *trained_epochs,
                net: net.clone(),
                resize: *resize,
                test_acc: *test_acc,
                test_images: *test_images,
                switched,
            }))));
        self.run.can_continue.set(true);
        // The loaded weights answer what the page shows inside.
        self.inside.active.set(true);
    }
}
