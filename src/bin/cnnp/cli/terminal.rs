//! The terminal as the training loop's host: `cnnp train`'s progress bar
//! and per-epoch lines.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use cnn_playground::training::{Control, EpochReport, Event, Host};

/// Prints what the loop reports: a progress bar on a terminal, the book's
/// line (or a JSON object) per epoch.
pub struct Terminal {
    start: Instant,
    json: bool,
    progress: bool,
    /// With --grad-norms: the weighted layers, and each one's norms summed
    /// over the epoch so far (and how many steps).
    weighted_layers: Vec<cnn_playground::training::LayerLabel>,
    norm_sums: Vec<f64>,
    norm_steps: usize,
}

impl Terminal {
    /// From now; a progress bar only when stderr is a terminal.
    pub fn new(json: bool) -> Terminal {
        Terminal {
            start: Instant::now(),
            json,
            progress: std::io::stderr().is_terminal(),
            weighted_layers: vec![],
            norm_sums: vec![],
            norm_steps: 0,
        }
    }

    /// The epoch's mean gradient norm of the first two and last two
    /// weighted layers, in one line.
    fn norms_line(&mut self) -> Option<String> {
        if self.norm_steps == 0 {
            return None;
        }
        let n = self.norm_sums.len();
        let shown: Vec<usize> = match n {
            0..=4 => (0..n).collect(),
            _ => vec![0, 1, n - 2, n - 1],
        };
        let parts: Vec<String> = shown
            .iter()
            .map(|&i| {
                format!(
                    "{} {:.3e}",
                    self.weighted_layers[i],
                    self.norm_sums[i] / self.norm_steps as f64
                )
            })
            .collect();
        self.norm_sums.iter_mut().for_each(|sum| *sum = 0.0);
        self.norm_steps = 0;
        Some(format!(
            "  weight-gradient norms (mean over the epoch): {}",
            parts.join(" · ")
        ))
    }

    /// With --json, `event` as one line of JSON.
    fn print_json(&self, event: &Event) {
        if self.json {
            println!("{}", serde_json::to_string(event).expect("an event serialises"));
        }
    }

    /// Redraws the progress bar.
    fn progress_bar(
        &self,
        epoch: usize,
        batch: usize,
        batches: usize,
        loss: f64,
        train_acc: f64,
        per_s: f64,
    ) {
        let width = 30;
        let done = batch * width / batches;
        eprint!(
            "\r\x1b[2Kepoch {epoch} [{}{}] {batch}/{batches}  loss {loss:.3}  train acc {train_acc:.3}  {per_s:.1} ex/s",
            "=".repeat(done),
            " ".repeat(width - done)
        );
        let _ = std::io::stderr().flush();
    }

    /// The epoch's line (or JSON object), over the progress bar.
    fn epoch(&mut self, report: &EpochReport) {
        if self.progress {
            eprint!("\r\x1b[2K");
        }
        match self.json {
            true => println!("{}", serde_json::to_string(report).expect("a report serialises")),
            false => {
                println!("{}", report.book_line());
                if let Some(line) = self.norms_line() {
                    println!("{line}");
                }
            }
        }
    }
}

impl Host for Terminal {
    fn now_ms(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn event(&mut self, event: Event) -> Control {
        match event {
            Event::Started {
                ref weighted_layers, ..
            } if !weighted_layers.is_empty() => {
                self.weighted_layers = weighted_layers.clone();
                self.norm_sums = vec![0.0; weighted_layers.len()];
                self.print_json(&event);
            }
            Event::Gradients { ref norms, .. } => {
                for (sum, norm) in self.norm_sums.iter_mut().zip(norms) {
                    *sum += norm;
                }
                self.norm_steps += 1;
                self.print_json(&event);
            }
            Event::Batch {
                epoch,
                batch,
                batches,
                loss,
                train_acc,
                examples_per_s,
                ..
            } if self.progress => self.progress_bar(epoch, batch, batches, loss, train_acc, examples_per_s),
            Event::WarmedUp { ms } if self.progress && ms > 1000.0 => {
                eprintln!("\r\x1b[2Kfirst step: {:.1} s (compiling kernels)", ms / 1000.0);
            }
            Event::Evaluating { epoch } if self.progress => {
                eprint!("\r\x1b[2Kepoch {epoch}: evaluating on the test set…");
                let _ = std::io::stderr().flush();
            }
            Event::Epoch { report } => self.epoch(&report),
            _ => {}
        }
        Control::Continue
    }
}
