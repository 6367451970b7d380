//! Every kind of command and report, once: a new variant fails to
//! compile here until it has a sample below.
//! (Shared: tests/protocol.rs round-trips them as JSON natively, tests/web/channel.rs
//! through the channel in the browser.)

use cnn_playground::arch::{Arch, NetConfig};
use cnn_playground::data::ImageFormat;
use cnn_playground::data::own::{
    OwnAbout, OwnDataError, OwnSource, OwnSourceKind, SkipReason, Skipped, SplitOrigin,
};
use cnn_playground::device::{Adapter, Backend};
use cnn_playground::protocol::ExplainAsk;
use cnn_playground::protocol::{
    Command, DataLoadError, DownloadError, FailureMode, FiltersShape, InsideError, InsideWeights, PictureRef,
    PredictionsWhen, Report, RunPosition, WeightsFailure, WorkerError,
};
use cnn_playground::training::BackendChoice;
use cnn_playground::training::explain::{ExplainError, ExplainMode, Position};
use cnn_playground::training::{BenchReport, Calibration, Ending, Event, LayerTime, TrainConfig};

fn command_kind(command: &Command) -> usize {
    match command {
        Command::ChooseBackend { .. } => 0,
        Command::LoadData { .. } => 1,
        Command::UseFiles => 2,
        Command::Train { .. } => 3,
        Command::Prepare { .. } => 4,
        Command::Bench { .. } => 5,
        Command::Profile { .. } => 6,
        Command::Trace => 7,
        Command::Pause => 8,
        Command::Resume => 9,
        Command::Stop => 10,
        Command::Ping => 11,
        Command::FailOnPurpose { .. } => 12,
        Command::LookInside { .. } => 13,
        Command::TestImages { .. } => 14,
        Command::SaveWeights => 15,
        Command::LoadWeights { .. } => 16,
        Command::UseOwnData { .. } => 17,
    }
}
const COMMAND_KINDS: usize = 18;

fn report_kind(report: &Report) -> usize {
    match report {
        Report::Ready => 0,
        Report::Backend { .. } => 1,
        Report::Download { .. } => 2,
        Report::DataReady { .. } => 3,
        Report::DataFailed { .. } => 4,
        Report::Preparing => 5,
        Report::Prepared { .. } => 6,
        Report::Training { .. } => 7,
        Report::Bench { .. } => 8,
        Report::Profile { .. } => 9,
        Report::Trace { .. } => 10,
        Report::Paused => 11,
        Report::Resumed => 12,
        Report::Finished { .. } => 13,
        Report::Failed { .. } => 14,
        Report::Panicked { .. } => 15,
        Report::Pong => 16,
        Report::Memory { .. } => 17,
        Report::DeviceLost { .. } => 18,
        Report::Inside { .. } => 19,
        Report::InsideFailed { .. } => 20,
        Report::TestImages { .. } => 21,
        Report::WeightsFile { .. } => 22,
        Report::WeightsLoaded { .. } => 23,
        Report::WeightsFailed { .. } => 24,
        Report::Predictions { .. } => 25,
    }
}
const REPORT_KINDS: usize = 26;

fn config() -> TrainConfig {
    TrainConfig::book(Arch::LeNet)
}

pub fn commands() -> Vec<Command> {
    let net = NetConfig::default_for(Arch::ResNet);
    let commands = vec![
        Command::ChooseBackend {
            choice: BackendChoice::WebGpu,
        },
        Command::LoadData {
            data_url: "/assets/fashion-mnist/".to_string(),
            images: Some(cnn_playground::protocol::Images {
                train: 2000,
                test: 500,
            }),
        },
        Command::UseFiles,
        Command::Train {
            config: config(),
            from_weights: true,
        },
        Command::Prepare { config: config() },
        Command::Bench {
            config: config(),
            steps: 5,
            readback_every: 1,
        },
        Command::Profile {
            config: config(),
            reps: 3,
        },
        Command::Trace,
        Command::Pause,
        Command::Resume,
        Command::Stop,
        Command::Ping,
        Command::FailOnPurpose {
            how: FailureMode::Trap,
        },
        Command::LookInside {
            net: net.clone(),
            resize: 96,
            picture: PictureRef::Own,
            layer: vec![3, 1],
            explain: Some(ExplainAsk {
                at: Position::new(2, 5, 7),
                mode: ExplainMode::Train,
            }),
        },
        Command::LookInside {
            net,
            resize: 96,
            picture: PictureRef::Test { index: 7 },
            layer: vec![],
            explain: None,
        },
        Command::TestImages {
            indices: vec![0, 5, 9],
        },
        Command::SaveWeights,
        Command::LoadWeights {
            net: NetConfig::default_for(Arch::LeNet),
            resize: 28,
            name: "lenet-28px.safetensors".to_string(),
            test_limit: Some(500),
            batch_size: 256,
        },
        Command::UseOwnData {
            source: OwnSource {
                name: "shapes".to_string(),
                kind: OwnSourceKind::Folder,
                paths: vec![
                    "shapes/circle/001.png".to_string(),
                    "shapes/notes.txt".to_string(),
                ],
                keep_colour: true,
            },
        },
    ];
    let mut kinds: Vec<usize> = commands.iter().map(command_kind).collect();
    kinds.dedup();
    assert_eq!(
        kinds,
        (0..COMMAND_KINDS).collect::<Vec<_>>(),
        "a sample of every command"
    );
    commands
}

pub fn reports() -> Vec<Report> {
    let adapter = Adapter {
        name: "google swiftshader".to_string(),
        has_subgroups: false,
        max_binding_bytes: 1 << 27,
        max_buffer_bytes: 1 << 28,
        is_software: true,
    };
    let reports = vec![
        Report::Ready,
        Report::Backend {
            backend: Backend::WebGpu(adapter),
        },
        Report::Download {
            file: "train-images-idx3-ubyte.gz".to_string(),
            loaded: 1 << 20,
            total: Some(26_421_880),
        },
        Report::DataReady {
            train: 60_000,
            test: 10_000,
            from_cache: true,
            all: true,
            own: None,
        },
        Report::DataReady {
            train: 144,
            test: 36,
            from_cache: false,
            all: true,
            own: Some(OwnAbout {
                name: "shapes".to_string(),
                classes: vec!["circle".to_string(), "square".to_string(), "triangle".to_string()],
                format: ImageFormat {
                    channels: 3,
                    height: 32,
                    width: 32,
                },
                counts: vec![(48, 12); 3],
                split: SplitOrigin::Drawn {
                    seed: 0,
                    test_share: 0.2,
                },
                skipped: vec![Skipped {
                    path: "shapes/notes.txt".to_string(),
                    why: SkipReason::NotAnImage,
                }],
                skipped_count: 1,
                hash: "0123456789abcdef".to_string(),
            }),
        },
        Report::DataFailed {
            error: DataLoadError::Own {
                error: OwnDataError::OneClass {
                    class: "circle".to_string(),
                },
            },
        },
        Report::DataFailed {
            error: DataLoadError::Download(DownloadError::Status {
                url: "/assets/fashion-mnist/t10k-labels-idx1-ubyte.gz".to_string(),
                status: 404,
                text: "Not Found".to_string(),
            }),
        },
        Report::DataFailed {
            error: DataLoadError::Shard {
                file: "train-images-003.gz".to_string(),
                problem: cnn_playground::data::shards::ShardProblem::WrongSize {
                    got: 10,
                    expected: 20,
                },
            },
        },
        Report::DataFailed {
            error: DataLoadError::Manifest {
                problem: cnn_playground::data::shards::ManifestProblem::Inconsistent,
            },
        },
        Report::DataFailed {
            error: DataLoadError::NeedsConnection(cnn_playground::protocol::Offline {
                here: cnn_playground::protocol::Images {
                    train: 2000,
                    test: 500,
                },
                needs: None,
            }),
        },
        Report::Preparing,
        Report::Prepared {
            calibration: Calibration {
                kernels_s: Some(1.5),
                seconds_per_example: 2e-4,
            },
        },
        Report::Training {
            event: Event::Batch {
                epoch: 1,
                batch: 3,
                batches: 235,
                loss: 2.3,
                train_acc: 0.1,
                examples_per_s: 3000.5,
                step_ms: 85.0,
            },
        },
        Report::Bench {
            report: BenchReport {
                warmup_s: 2.0,
                examples_per_s: 500.0,
                warmup_loss: 2.3,
                final_loss: 2.2,
                host_ms_per_step: 3.5,
            },
        },
        Report::Profile {
            layers: vec![LayerTime {
                layer: "Conv2d 1→6, k5, p2".to_string(),
                forward_ms: 1.0,
                backward_ms: 2.0,
            }],
        },
        Report::Trace {
            kernels: "[]".to_string(),
        },
        Report::Paused,
        Report::Resumed,
        Report::Finished {
            ending: Ending::Stopped { epoch: 1, batch: 40 },
        },
        Report::Failed {
            error: WorkerError::NoBackend,
        },
        Report::Panicked {
            message: "panicked at src/lib.rs".to_string(),
        },
        Report::Pong,
        Report::Memory {
            epoch: Some(2),
            wasm_bytes: 177_930_240,
            device_bytes: None,
        },
        Report::DeviceLost {
            message: "the GPU went away".to_string(),
        },
        Report::Inside {
            picture: PictureRef::Test { index: 3 },
            label: Some(9),
            layer: vec![0],
            shape: vec![1, 6, 28, 28],
            probabilities: vec![0.1; 10],
            filters: Some(FiltersShape {
                shape: [6, 1, 5, 5],
                in_channels: 1,
            }),
            weights: InsideWeights::Training {
                at: RunPosition {
                    epoch: 2,
                    batch: 40,
                    batches: 235,
                },
            },
            explained: Some(Err(ExplainError::Outside {
                at: Position::new(6, 0, 0),
                shape: vec![1, 6, 28, 28],
            })),
            format: ImageFormat::FASHION,
        },
        Report::InsideFailed {
            error: InsideError::NoSuchTestImage {
                index: 10_000,
                count: 10_000,
            },
        },
        Report::TestImages {
            indices: vec![0, 1],
            labels: vec![9, 2],
            format: ImageFormat {
                channels: 3,
                height: 32,
                width: 32,
            },
        },
        Report::WeightsFile {
            file_name: "lenet-28px.safetensors".to_string(),
        },
        Report::WeightsLoaded {
            name: "lenet-28px.safetensors".to_string(),
            description: Some("LeNet (d2l §6.6), 28×28, trained 10 epochs".to_string()),
            trained_epochs: Some(10),
            net: NetConfig::default_for(Arch::LeNet),
            resize: 28,
            test_acc: 0.79,
            test_images: 10_000,
        },
        Report::WeightsFailed {
            failure: WeightsFailure::File {
                name: "notes.txt".to_string(),
                problem: cnn_playground::weights::WeightsError::NotSafetensors(
                    "header too small".to_string(),
                ),
            },
        },
        Report::Predictions {
            when: PredictionsWhen::AfterEpoch { epoch: 2 },
        },
    ];
    let mut kinds: Vec<usize> = reports.iter().map(report_kind).collect();
    kinds.dedup();
    assert_eq!(
        kinds,
        (0..REPORT_KINDS).collect::<Vec<_>>(),
        "a sample of every report"
    );
    reports
}
