//! The loop itself, on a model already made: per epoch, a shuffled pass
//! over the training set, step by step, then an evaluation on the test set.

use burn::optim::ModuleOptimizer;
use burn::tensor::Device;

use super::super::{Control, Ending, EpochReport, Event, Host, TrainConfig};
use super::{Evaluation, Outcome, TrainError, batch_tensors, evaluate, optimizer, read, train_step_measured};
use crate::data::{Dataset, Resize, epoch_order};
use crate::model::Net;

/// What stays the same through a run, and the weights to fall back on.
struct Run<'a, H> {
    config: &'a TrainConfig,
    train: &'a Dataset,
    test: &'a Dataset,
    device: &'a Device,
    backend: &'a str,
    host: &'a mut H,
    resize: Resize,
    optimizer: ModuleOptimizer,
    batches: usize,
    /// The book's plot: `if (i + 1) % (num_batches // 5) == 0 or i == num_batches - 1`.
    plot_every: usize,
    /// The last weights whose loss was finite.
    last_good: Option<Net>,
}

/// How a pass over the training set (or one step of it) ended: on to the
/// next, or the run's end with why.
enum Next<T> {
    Go(T),
    End(Net, Ending),
}

/// An epoch's figures so far: the loss summed over its examples, how many
/// it got right, of how many; and the examples and milliseconds counted
/// for examples/sec (not the warm-up step).
#[derive(Debug, Default)]
struct Tally {
    loss_sum: f64,
    hits: f64,
    seen: usize,
    timed: usize,
    train_ms: f64,
}

impl Tally {
    /// A step of `examples` with mean `loss` and `correct` right.
    fn add(&mut self, examples: usize, loss: f64, correct: f64) {
        self.loss_sum += loss * examples as f64;
        self.hits += correct;
        self.seen += examples;
    }

    /// A step of `examples` that took `ms`, counted for examples/sec.
    fn time(&mut self, examples: usize, ms: f64) {
        self.timed += examples;
        self.train_ms += ms;
    }

    fn loss(&self) -> f64 {
        self.loss_sum / self.seen as f64
    }

    fn train_acc(&self) -> f64 {
        self.hits / self.seen as f64
    }

    /// Examples per second, or 0 before anything was timed.
    fn examples_per_s(&self) -> f64 {
        match self.train_ms > 0.0 {
            true => self.timed as f64 / (self.train_ms / 1000.0),
            false => 0.0,
        }
    }
}

/// Trains `model` for `config.epochs` epochs on `device` (with autodiff).
pub(super) async fn train_model(
    mut model: Net,
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    device: &Device,
    backend: &str,
    host: &mut impl Host,
) -> Result<Outcome, TrainError> {
    let batches = train.len().div_ceil(config.batch_size);
    let mut run = Run {
        config,
        train,
        test,
        device,
        backend,
        host,
        resize: Resize::to(config.resize),
        optimizer: optimizer(config),
        batches,
        plot_every: (batches / 5).max(1),
        last_good: None,
    };
    run.start(&model);
    let mut history = vec![];
    let stop = |model, history, ending| {
        Ok(Outcome {
            model,
            history,
            ending,
        })
    };
    for epoch in 1..=config.epochs {
        let epoch_start = run.host.now_ms();
        let tally;
        (model, tally) = match run.pass(model, epoch).await? {
            Next::Go(done) => done,
            Next::End(model, ending) => return stop(model, history, ending),
        };
        let report = run.evaluate(&model, epoch, epoch_start, tally).await?;
        history.push(report.clone());
        if run.host.event(Event::Epoch { report }) == Control::Stop && epoch < config.epochs {
            let ending = Ending::Stopped {
                epoch,
                batch: batches,
            };
            return stop(model, history, ending);
        }
    }
    stop(model, history, Ending::Finished)
}

impl<H: Host> Run<'_, H> {
    /// Tells the host what the run will go through.
    fn start(&mut self, model: &Net) {
        let weighted_layers = match self.config.grad_norms {
            true => super::super::weighted_layers(model)
                .into_iter()
                .map(|layer| layer.name)
                .collect(),
            false => vec![],
        };
        self.host.event(Event::Started {
            batches_per_epoch: self.batches,
            train_examples: self.train.len(),
            test_examples: self.test.len(),
            weighted_layers,
        });
    }

    /// One epoch's pass over the training set, in its shuffled order.
    async fn pass(&mut self, mut model: Net, epoch: usize) -> Result<Next<(Net, Tally)>, TrainError> {
        let order = epoch_order(self.train.len(), self.config.seed, epoch);
        let mut tally = Tally::default();
        for (i, chunk) in order.chunks(self.config.batch_size).enumerate() {
            model = match self.step(model, epoch, i, chunk, &mut tally).await? {
                Next::Go(next) => next,
                Next::End(model, ending) => return Ok(Next::End(model, ending)),
            };
        }
        Ok(Next::Go((model, tally)))
    }

    /// Step `i` of `epoch`, on the examples at `chunk`.
    async fn step(
        &mut self,
        model: Net,
        epoch: usize,
        i: usize,
        chunk: &[usize],
        tally: &mut Tally,
    ) -> Result<Next<Net>, TrainError> {
        self.host.between_steps(&model).await;
        // As the book's timer, this leaves out preparing the batch on the
        // CPU and counts sending it to the device.
        let batch = self.train.batch(chunk, &self.resize);
        let step_start = self.host.now_ms();
        let (images, labels) = batch_tensors(&batch, self.device);
        // Cloning a module shares its tensors; it copies no weights.
        let before = model.clone();
        let measured = self.config.measures_step((epoch - 1) * self.batches + i);
        let (next, figures) = train_step_measured(
            model,
            &mut self.optimizer,
            self.config.lr,
            images,
            labels,
            measured,
        );
        let figures = read(figures, self.backend).await?;
        let step_ms = self.host.now_ms() - step_start;
        let (loss, correct) = (figures[0] as f64, figures[1] as f64);
        if !loss.is_finite() {
            let lr = self.config.lr;
            let ending = Ending::Diverged {
                epoch,
                batch: i + 1,
                lr,
            };
            // The weights that gave this loss may already be infinite:
            // keep the last ones whose loss was finite.
            return Ok(Next::End(self.last_good.take().unwrap_or(before), ending));
        }
        self.last_good = Some(before);
        // The run's first step compiles the kernels (and on some
        // backends tunes them): it is reported apart, as warm-up, and
        // left out of examples/sec unless it is the only step.
        let warm_up = epoch == 1 && i == 0 && self.batches * self.config.epochs > 1;
        if warm_up {
            self.host.event(Event::WarmedUp { ms: step_ms });
        } else {
            tally.time(chunk.len(), step_ms);
        }
        if measured {
            self.gradients(epoch, i, &figures);
        }
        tally.add(chunk.len(), loss, correct);
        match self.progress(epoch, i, tally, step_ms) {
            Control::Stop => Ok(Next::End(next, Ending::Stopped { epoch, batch: i + 1 })),
            Control::Continue => Ok(Next::Go(next)),
        }
    }

    /// A measured step's norms: the step's figures after `[loss, correct]`
    /// are the squares of each weighted layer's gradient norm, then of its
    /// output's.
    fn gradients(&mut self, epoch: usize, i: usize, figures: &[f32]) {
        let root = |squares: &[f32]| squares.iter().map(|&square| (square as f64).sqrt()).collect();
        let layers = (figures.len() - 2) / 2;
        self.host.event(Event::Gradients {
            epoch,
            batch: i + 1,
            norms: root(&figures[2..2 + layers]),
            outputs: root(&figures[2 + layers..]),
        });
    }

    /// The epoch so far after step `i`, and on the book's plot's batches a
    /// point: stop if the host answers either with stop.
    fn progress(&mut self, epoch: usize, i: usize, tally: &Tally, step_ms: f64) -> Control {
        let (loss, train_acc) = (tally.loss(), tally.train_acc());
        let mut control = self.host.event(Event::Batch {
            epoch,
            batch: i + 1,
            batches: self.batches,
            loss,
            train_acc,
            examples_per_s: tally.examples_per_s(),
            step_ms,
        });
        if (i + 1).is_multiple_of(self.plot_every) || i + 1 == self.batches {
            let x = epoch as f64 - 1.0 + (i + 1) as f64 / self.batches as f64;
            if self.host.event(Event::Point { x, loss, train_acc }) == Control::Stop {
                control = Control::Stop;
            }
        }
        control
    }

    /// The epoch's report, once the test set is evaluated.
    async fn evaluate(
        &mut self,
        model: &Net,
        epoch: usize,
        epoch_start: f64,
        tally: Tally,
    ) -> Result<EpochReport, TrainError> {
        self.host.event(Event::Evaluating { epoch });
        let Evaluation {
            confusion, predicted, ..
        } = evaluate(
            model,
            self.test,
            &self.resize,
            self.config.batch_size,
            self.device,
            self.backend,
        )
        .await?;
        self.host.evaluated(epoch, &predicted);
        Ok(EpochReport {
            epoch,
            loss: tally.loss(),
            train_acc: tally.train_acc(),
            test_acc: confusion.accuracy(),
            confusion,
            examples_per_s: tally.examples_per_s(),
            backend: self.backend.to_string(),
            seconds: (self.host.now_ms() - epoch_start) / 1000.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_weighs_each_step_by_its_examples() {
        let mut tally = Tally::default();
        tally.add(100, 2.0, 30.0);
        tally.add(50, 0.5, 45.0);
        assert_eq!(tally.loss(), (200.0 + 25.0) / 150.0);
        assert_eq!(tally.train_acc(), 75.0 / 150.0);
    }

    #[test]
    fn examples_per_second_count_only_the_timed_steps() {
        let mut tally = Tally::default();
        assert_eq!(tally.examples_per_s(), 0.0, "nothing timed yet");
        // The warm-up step is added but not timed.
        tally.add(256, 2.3, 25.0);
        tally.time(256, 500.0);
        tally.time(128, 250.0);
        assert_eq!(tally.examples_per_s(), 384.0 / 0.75);
    }
}
