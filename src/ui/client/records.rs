//! Each run's record in the run history: begun when the worker starts the
//! run the page asked for, brought up to date after each epoch, ended with
//! how it ended (a crash included).

use leptos::prelude::*;

use super::Client;
use crate::training::TrainConfig;
use crate::ui::history::{RUNNING, RecordedBackend, RunRecord};

#[derive(Default)]
pub(super) struct Records {
    /// The run the page asked for last, and whether on from kept weights.
    asked: Option<(TrainConfig, bool)>,
    /// The run going on, as the history keeps it.
    recording: Option<RunRecord>,
}

impl Records {
    pub fn ask(&mut self, config: TrainConfig, from_weights: bool) {
        self.asked = Some((config, from_weights));
    }

    /// The run the page asked for.
    pub fn asked(&self) -> Option<&TrainConfig> {
        self.asked.as_ref().map(|(config, _)| config)
    }

    /// The net of the run being recorded, as the editor names it.
    pub fn title(&self) -> String {
        self.recording
            .as_ref()
            .map_or_else(String::new, |record| record.config.net.title().to_string())
    }
}

impl Client {
    /// Starts the history's record of the run the worker just started.
    pub(super) fn begin_record(&self) {
        let Some((config, from_weights)) = self.shared.records.borrow().asked.clone() else {
            return;
        };
        // Named as the editor names the net: "VGG-16 #2".
        let title = config.net.title();
        let number = self
            .history
            .runs
            .with_untracked(|runs| runs.iter().filter(|r| r.config.net.title() == title).count() + 1);
        let backend = self
            .run
            .backend
            .get_untracked()
            .map_or(RecordedBackend::Text("?".to_string()), |b| {
                RecordedBackend::Label(b.label())
            });
        let on_from = if from_weights { " (on from weights)" } else { "" };
        let record = RunRecord {
            id: js_sys::Date::now(),
            name: format!("{title} #{number}{on_from}"),
            config,
            backend,
            epochs: vec![],
            points: vec![],
            ending: RUNNING.to_string(),
            seconds: 0.0,
            data: self.run.own_data.get_untracked(),
        };
        self.shared.records.borrow_mut().recording = Some(record.clone());
        self.history.record(record);
    }

    /// Brings the record of the run going on up to date.
    pub(super) fn update_record(&self) {
        self.write_record(None);
    }

    /// Ends the record of the run going on with how it ended.
    pub(super) fn end_record(&self, ending: String) {
        self.write_record(Some(ending));
    }

    fn write_record(&self, ending: Option<String>) {
        let record = {
            let mut records = self.shared.records.borrow_mut();
            let Some(record) = records.recording.as_mut() else {
                return;
            };
            record.epochs = self.run.history.get_untracked();
            record.points = self
                .run
                .points
                .with_untracked(|points| points.iter().map(|p| [p.x, p.loss, p.train_acc]).collect());
            record.seconds = (js_sys::Date::now() - record.id) / 1000.0;
            match ending {
                Some(ending) => {
                    record.ending = ending;
                    let record = record.clone();
                    records.recording = None;
                    record
                }
                None => record.clone(),
            }
        };
        self.history.record(record);
    }
}
