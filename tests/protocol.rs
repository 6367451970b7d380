//! Every page↔worker message, and every error a message can carry, goes to
//! JSON and back unchanged. serde refuses an internally tagged newtype
//! variant of a string or a list, and two tags of one name collide, only
//! when such a value is written or read: here, natively, for all of them
//! (tests/web/channel.rs does the same through the channel in Chromium).

#[path = "common/messages.rs"]
mod messages;

use std::fmt::Debug;

use cnn_playground::arch::{Arch, NetTitle};
use cnn_playground::protocol::{DataLoadError, DownloadError, Report, WeightsFailure, WorkerError};
use cnn_playground::training::{Problem, TrainError};
use cnn_playground::weights::{MetadataProblem, NetName, WeightsError};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T) {
    let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{value:?} does not serialise: {e}"));
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(back, value, "{json}");
}

#[test]
fn every_command_and_report_reads_back_from_json() {
    messages::commands().into_iter().for_each(round_trip);
    messages::reports().into_iter().for_each(round_trip);
}

#[test]
fn the_errors_a_report_carries_read_back_from_json() {
    let net = |title| NetName {
        title,
        ratio: None,
        edits: String::new(),
    };
    let weights_errors = [
        WeightsError::NotSafetensors("header too large".into()),
        WeightsError::Store("no tensor".into()),
        WeightsError::Metadata(MetadataProblem::Version("x".into())),
        WeightsError::Metadata(MetadataProblem::Json("EOF".into())),
        WeightsError::WrongNet {
            found: net(NetTitle::Edited(Arch::LeNet)),
            expected: net(NetTitle::Book(Arch::ResNet)),
        },
    ];
    for problem in weights_errors {
        round_trip(Report::WeightsFailed {
            failure: WeightsFailure::File {
                name: "a.safetensors".into(),
                problem,
            },
        });
    }
    round_trip(Report::Failed {
        error: WorkerError::Training {
            problem: TrainError::Config(vec![Problem::NoEpochs]),
        },
    });
    round_trip(Report::DataFailed {
        error: DataLoadError::Download(DownloadError::Status {
            url: "/assets/fashion-mnist/t10k-labels-idx1-ubyte.gz".into(),
            status: 404,
            text: "Not Found".into(),
        }),
    });
}
