//! The exported program, part by part: the form's settings, the net, its
//! shape printout, the data, `train_ch6`, weights files, the command line.
//! A script writes the parts one after the other (`# %%` cells, which
//! editors run one by one); a notebook makes each a cell (`notebook`).

use super::nets::net_code;
use super::python::{float, literal, string};
use super::{DataChoice, ExportError, ExportError as Error};
use crate::arch::edit;
use crate::format::wrap;
use crate::training::TrainConfig;

const IMPORTS: &str = "\
import argparse
import ctypes
import functools
import gzip
import json
import math
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn import functional as F
from torch.nn.parallel import DistributedDataParallel as DDP";

/// One part of the program.
pub struct Section {
    /// Its heading: the notebook's markdown, the script's `# %%` line.
    pub heading: String,
    /// What it is, in a sentence or two (markdown; comments in the script).
    pub about: String,
    pub code: String,
    /// What a notebook runs in a cell of its own right after this one (the
    /// book shows the shape printout where it builds the net).
    pub notebook_call: Option<&'static str>,
}

/// The program for one run of one net.
pub struct Program {
    /// `LeNet (d2l §6.6)`, `VGG-16 (d2l §7.2)`.
    pub title: String,
    /// What the form changes from the book's net, as the page says it.
    pub changes: Vec<String>,
    /// `lenet`: the file's name, the `--arch` of `cnnp`.
    pub arch: &'static str,
    pub sections: Vec<Section>,
}

impl Program {
    /// The program for `config`, which must be a run the page could start.
    pub fn of(config: &TrainConfig, data: &DataChoice) -> Result<Program, ExportError> {
        let problems = config.problems();
        if !problems.is_empty() {
            return Err(Error(problems.iter().map(ToString::to_string).collect()));
        }
        if let Some(io) = super::other_data(config) {
            return Err(Error(vec![format!(
                "the export reads Fashion-MNIST only (1 channel, 10 classes), not {} channel(s) and {} classes",
                io.in_channels, io.classes
            )]));
        }
        let table = config.shape_table(1).map_err(|e| Error(vec![e.to_string()]))?;
        let net = net_code(&config.net, &table);
        let arch = config.net.arch();
        let title = format!("{} (d2l §{})", config.net.title(), arch.book_section());
        let changes = edit::changes(&config.net)
            .into_iter()
            .map(|change| change.to_string())
            .collect();
        let section = |heading: &str, about: &str, code: String| Section {
            heading: heading.to_string(),
            about: about.to_string(),
            code,
            notebook_call: None,
        };
        let weights = format!(
            "{}\n\n\n{}",
            playground(config, &title, &net.file_names),
            include_str!("py/weights.py")
        );
        let sections = vec![
            section(
                "Imports",
                "PyTorch and Python's own library: nothing else.",
                IMPORTS.to_string(),
            ),
            section(
                "Settings",
                "The form's values: the command line's defaults. The learning rate and the batch are \
                 global: under `torchrun`, N processes share each batch and take the steps one process would.",
                settings(config, data),
            ),
            section(
                &format!("The net, as the book writes it (d2l §{})", arch.book_section()),
                "With the form's edits written in.",
                net.code,
            ),
            Section {
                notebook_call: Some("print_shapes(net)"),
                ..section(
                    "The book's shape printout",
                    "",
                    include_str!("py/shapes.py").to_string(),
                )
            },
            section(
                "Fashion-MNIST, read and resized as the book's loader does",
                "From the four files as published: nothing is downloaded.",
                include_str!("py/data.py").to_string(),
            ),
            section(
                "Training: the book's train_ch6, on one process or many",
                "Under `torchrun`, with PyTorch's DistributedDataParallel.",
                include_str!("py/training.py").to_string(),
            ),
            section(
                "Weights files the playground reads",
                "safetensors (read and written here, in plain Python) with the state_dict's names, and what \
                 the page shows of a file.",
                weights,
            ),
            section("The command line", "", include_str!("py/main.py").to_string()),
        ];
        Ok(Program {
            title,
            changes,
            arch: arch.id(),
            sections,
        })
    }

    /// `lenet.py`.
    pub fn script_name(&self) -> String {
        format!("{}.py", self.arch)
    }

    /// The first line people read: the net, and what the form changed.
    pub fn headline(&self) -> String {
        match self.changes.is_empty() {
            true => format!("{} on Fashion-MNIST: the book's PyTorch code.", self.title),
            false => format!(
                "{} on Fashion-MNIST: the book's PyTorch code, changed from the book's: {}.",
                self.title,
                self.changes.join("; ")
            ),
        }
    }

    /// The whole script: what it is and how to run it, then each part.
    pub fn script(&self) -> String {
        let mut text = format!("\"\"\"{}\n\n{}\"\"\"\n", self.headline(), self.usage());
        for section in &self.sections {
            text += &format!("\n\n# %% {}\n", section.heading);
            for line in wrap(section.about.split_whitespace(), 76) {
                text += &format!("# {line}\n");
            }
            text += "\n";
            text += section.code.trim_end();
            text += "\n";
        }
        text + "\n\nif __name__ == \"__main__\":\n    main()\n"
    }

    /// How to run the script: one process, many GPUs, two machines, and
    /// back to the page.
    pub fn usage(&self) -> String {
        let file = self.script_name();
        let arch = self.arch;
        format!(
            "Exported by the CNN playground (`cnnp export`). It needs torch
only (`pip install torch`): no d2l, no safetensors package, nothing of ours.

    python {file} --shapes      # the book's shape printout
    python {file} --data DIR    # train: on a GPU if there is one, else the CPU

DIR holds Fashion-MNIST's four files as published (train-images-idx3-ubyte.gz,
train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz;
gzipped or not); nothing is downloaded. Every setting is a flag (--help); the defaults are the
form's.

Many GPUs on one machine (PyTorch's DistributedDataParallel, a process each):

    torchrun --nproc_per_node 4 {file} --data DIR

Two machines with 4 GPUs each; HOST is the first one's address:

    torchrun --nnodes 2 --node_rank 0 --nproc_per_node 4 --master_addr HOST --master_port 29500 {file} --data DIR
    torchrun --nnodes 2 --node_rank 1 --nproc_per_node 4 --master_addr HOST --master_port 29500 {file} --data DIR

--lr and --batch are global: each step is one batch of --batch examples shared
among the processes, and its gradient is the whole batch's mean, so N processes
take the steps one process takes, on the same batches in the same order (the
shuffle depends on --seed and the epoch only). Batch norm takes its statistics
over the whole batch too (PyTorch's SyncBatchNorm on GPUs; on CPUs, gloo, the
few lines of GlobalBatchNorm below), and dropout draws its masks for the whole
batch from a generator all processes seed alike: N processes train as one.

Back to the playground: --save FILE writes the weights with our files' names
and what the page shows of them. Load it with the page's weights button, or
`cnnp eval --arch {arch} --weights FILE`. --weights FILE starts from a file the
page or cnnp saved (or one saved from the book's own net).
"
        )
    }
}

/// The form's settings as Python constants.
fn settings(config: &TrainConfig, data: &DataChoice) -> String {
    let DataChoice::FashionMnist { dir } = data;
    let limit = |limit: Option<usize>, all: usize| match limit {
        Some(n) => format!("{n}"),
        None => format!("None  # all {all}"),
    };
    format!(
        "EPOCHS = {epochs}
BATCH_SIZE = {batch}  # global: over all processes
LR = {lr}
OPTIMIZER = {optimizer}  # sgd | momentum (0.9) | adam
WEIGHT_DECAY = {decay}
RESIZE = {resize}  # the images' side: the net below is built for it
TRAIN_LIMIT = {train}
TEST_LIMIT = {test}
SEED = {seed}
DATA_DIR = {dir}  # the four Fashion-MNIST files",
        epochs = config.epochs,
        batch = config.batch_size,
        lr = float(config.lr),
        optimizer = string(config.optimizer.id()),
        decay = float(config.weight_decay),
        resize = config.resize,
        train = limit(config.train_limit, 60_000),
        test = limit(config.test_limit, 10_000),
        seed = config.seed,
        dir = string(dir),
    )
}

/// What the playground needs to read a file of this net besides its
/// tensors: the net as its editor describes it, and where our files'
/// tensor names differ from the net's state_dict.
fn playground(config: &TrainConfig, title: &str, file_names: &[(&str, &str)]) -> String {
    let net = serde_json::to_value(&config.net).expect("a net description serialises");
    let description = format!("{title}, {}×{}", config.resize, config.resize);
    let names: Vec<String> = file_names
        .iter()
        .map(|(torch, file)| format!("({}, {})", string(torch), string(file)))
        .collect();
    let names_about = match file_names.is_empty() {
        true => "none for this net",
        false => {
            "a Residual without batch norm: our files name its second convolution by its place in \
             the block, after the ReLU"
        }
    };
    format!(
        "# The net as the playground's editor describes it (what the page reads
# from a file of it), and how it describes the file.
PLAYGROUND_NET = {net}
DESCRIPTION = {description}
# Where our files name a tensor otherwise than this net's state_dict,
# (PyTorch's, ours) as parts of names: {names_about}.
FILE_NAMES = [{names}]",
        net = literal(&net),
        description = string(&description),
        names = names.join(", "),
    )
}
