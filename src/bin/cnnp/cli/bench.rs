//! `cnnp bench`: examples per second of training steps, or with
//! `--profile`, each layer's time.

use std::time::Instant;

use cnn_playground::arch::Arch;
use cnn_playground::backend::BackendKind;
use cnn_playground::training::{self, BenchReport, TrainConfig};

use super::flags::Flags;
use super::inputs::{device, load_data};
use super::{CliError, UsageError};

pub const ABOUT: &str = "\
Times training steps: the first (warm-up: kernel compilation and
autotuning) apart, then examples/sec over the next N. On wgpu the
convolutions, pooling and dense layers run on our kernels, on the CPU
the sigmoid; --conv burn runs Burn's instead.
--profile: each layer of the table on its own, forward and backward
(N repetitions each), to see where a step's time goes.
--launches (wgpu): the launches of our kernels in one step after the
warm-up, with the parallelism each exposes; those with fewer than 8,192
active invocations but more values to write are marked. --tiles gpu
shapes the tiles as on a real GPU (spread until a launch exposes 8,192
invocations), --tiles software as on SwiftShader or lavapipe.";

/// What a benchmark times, as the flags say.
struct Setup<'a> {
    arch: Arch,
    kind: BackendKind,
    /// Whose kernels: `ours` or `burn`.
    conv: &'a str,
    config: TrainConfig,
    steps: usize,
    readback_every: usize,
}

pub fn run(flags: &Flags) -> Result<(), CliError> {
    let mut setup = setup(flags)?;
    let data = load_data(flags)?;
    setup.config.net = setup.config.net.with_io(data.io());
    let train_set = data.train;
    let device = device(setup.kind)?;
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    if flags.has("profile") {
        return profile(&setup.config, &device, setup.steps, flags.has("json"));
    }
    match flags.value("tiles") {
        None => {}
        #[cfg(feature = "webgpu")]
        Some("gpu") => cnn_playground::kernels::set_software_adapter(false),
        #[cfg(feature = "webgpu")]
        Some("software") => cnn_playground::kernels::set_software_adapter(true),
        Some(other) => {
            return Err(UsageError(format!("--tiles: '{other}' is not one of gpu|software")).into());
        }
    }
    if flags.has("launches") {
        return launches::run(&setup.config, &train_set, &device, flags.has("json"));
    }
    let report = pollster::block_on(training::bench(
        &setup.config,
        &train_set,
        &device,
        setup.steps,
        setup.readback_every,
        clock,
        || {},
    ))
    .map_err(|e| CliError::Run(e.to_string()))?;
    match flags.has("json") {
        true => print_json(&setup, &report),
        false => print_text(&setup, &report),
    }
    Ok(())
}

/// The flags read and checked (choosing whose kernels run as it goes).
fn setup(flags: &Flags) -> Result<Setup<'_>, UsageError> {
    let arch = flags.arch()?;
    let kind = flags.backend(None)?;
    let conv = flags.value("conv").unwrap_or("ours");
    match conv {
        "ours" => cnn_playground::kernels::use_our_kernels(true),
        "burn" => cnn_playground::kernels::use_our_kernels(false),
        other => return Err(UsageError(format!("--conv: '{other}' is not one of ours|burn"))),
    }
    let mut config = TrainConfig::book(arch);
    config.net = flags.net(arch, config.net)?;
    config.batch_size = flags.number("batch", 1, 60_000)?.unwrap_or(config.batch_size);
    config.resize = flags.resize(arch, config.resize)?;
    flags.gradient_view(&mut config)?;
    let steps = flags.number("steps", 1, 100_000)?.unwrap_or(20);
    let readback_every = flags.number("readback-every", 1, 100_000)?.unwrap_or(1);
    let problems = config.problems();
    if !problems.is_empty() {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(UsageError(problems.join("; ")));
    }
    Ok(Setup {
        arch,
        kind,
        conv,
        config,
        steps,
        readback_every,
    })
}

fn print_json(setup: &Setup, report: &BenchReport) {
    let config = &setup.config;
    println!(
        "{}",
        serde_json::json!({
            "engine": "cnnp",
            "arch": setup.arch.id(),
            "backend": setup.kind.id(),
            "conv": setup.conv,
            "batch": config.batch_size,
            "resize": config.resize,
            "steps": setup.steps,
            "readback_every": setup.readback_every,
            "grad_norms": config.grad_norms,
            "warmup_s": report.warmup_s,
            "examples_per_s": report.examples_per_s,
            "final_loss": report.final_loss,
            "host_ms_per_step": report.host_ms_per_step,
        })
    );
}

fn print_text(setup: &Setup, report: &BenchReport) {
    let config = &setup.config;
    println!(
        "{} on {} ({} kernels), batch {} at {}×{}: first step {:.2} s (warm-up), then {:.1} examples/sec over {} steps (loss read every {}), final loss {:.3}",
        setup.arch.title(),
        setup.kind.id(),
        setup.conv,
        config.batch_size,
        config.resize,
        config.resize,
        report.warmup_s,
        report.examples_per_s,
        setup.steps,
        setup.readback_every,
        report.final_loss
    );
}

/// `cnnp bench --profile`: each top-level layer on its own, forward and
/// backward, `reps` times.
fn profile(
    config: &TrainConfig,
    device: &burn::tensor::Device,
    reps: usize,
    json: bool,
) -> Result<(), CliError> {
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    let layers = pollster::block_on(training::profile_layers(config, device, reps, clock))
        .map_err(|e| CliError::Run(e.to_string()))?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "arch": config.net.arch().id(), "batch": config.batch_size, "layers": layers })
        );
        return Ok(());
    }
    println!("{:<40} {:>12} {:>12}", "layer", "forward ms", "backward ms");
    for layer in &layers {
        println!(
            "{:<40} {:>12.2} {:>12.2}",
            layer.layer, layer.forward_ms, layer.backward_ms
        );
    }
    let total: f64 = layers.iter().map(|l| l.forward_ms + l.backward_ms).sum();
    println!("{:<40} {:>25.2}", "all layers", total);
    Ok(())
}

/// `cnnp bench --launches`: the parallelism report.
#[cfg(feature = "webgpu")]
mod launches {
    use burn::tensor::Device;
    use cnn_playground::data::Dataset;
    use cnn_playground::kernels::{self, Launch};
    use cnn_playground::training::{self, TrainConfig};

    use super::CliError;

    /// Fewer active invocations than this leave a real GPU mostly idle.
    pub const FEW: usize = 8_192;

    /// Whether `launch` exposes too little of its work: fewer than [`FEW`]
    /// invocations while it writes more values than that.
    fn starves(launch: &Launch) -> bool {
        launch.active < FEW && launch.outputs > launch.active
    }

    pub fn run(config: &TrainConfig, train: &Dataset, device: &Device, json: bool) -> Result<(), CliError> {
        let start = std::time::Instant::now();
        let clock = || start.elapsed().as_secs_f64() * 1000.0;
        pollster::block_on(training::bench(
            config,
            train,
            device,
            1,
            1,
            clock,
            kernels::record_launches,
        ))
        .map_err(|e| CliError::Run(e.to_string()))?;
        let launches = kernels::recorded_launches();
        if launches.is_empty() {
            return Err(CliError::Run(
                "no launches of our kernels: --launches needs --backend wgpu and --conv ours".into(),
            ));
        }
        // Identical launches (a net's repeated blocks) as one row, in the
        // order they first ran.
        let mut rows: Vec<(Launch, usize)> = vec![];
        for launch in launches {
            match rows.iter_mut().find(|(l, _)| *l == launch) {
                Some((_, count)) => *count += 1,
                None => rows.push((launch, 1)),
            }
        }
        if json {
            for (l, count) in &rows {
                println!(
                    "{}",
                    serde_json::json!({
                        "arch": config.net.arch().id(), "batch": config.batch_size, "kernel": l.kernel,
                        "count": count, "workgroups": l.workgroups, "workgroup_size": l.workgroup_size,
                        "active": l.active, "work": l.work, "outputs": l.outputs, "starves": starves(l),
                    })
                );
            }
            return Ok(());
        }
        println!(
            "{:<28} {:>5} {:>10} {:>12} {:>10} {:>12}",
            "kernel", "times", "workgroups", "invocations", "work each", "values out"
        );
        for (l, count) in &rows {
            println!(
                "{:<28} {:>5} {:>10} {:>12} {:>10} {:>12}{}",
                l.kernel,
                count,
                l.workgroups,
                l.active,
                l.work,
                l.outputs,
                if starves(l) { "  < 8,192" } else { "" }
            );
        }
        let total: usize = rows.iter().map(|(_, c)| c).sum();
        let starving: usize = rows.iter().filter(|(l, _)| starves(l)).map(|(_, c)| c).sum();
        println!(
            "{total} launches in a step; {starving} expose fewer than {FEW} invocations for more values"
        );
        Ok(())
    }
}

#[cfg(not(feature = "webgpu"))]
mod launches {
    use super::CliError;

    pub fn run(
        _: &cnn_playground::training::TrainConfig,
        _: &cnn_playground::data::Dataset,
        _: &burn::tensor::Device,
        _: bool,
    ) -> Result<(), CliError> {
        Err(CliError::Run(
            "--launches needs a build with the webgpu feature".into(),
        ))
    }
}
