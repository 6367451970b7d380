//! The program as a Jupyter notebook (nbformat 4.5): a markdown cell on
//! what it is, then per part a heading and its code, the shape printout
//! after the net, and the run with the form's settings at the end.

use serde_json::{Value, json};

use super::program::Program;

/// What the notebook is and how to use it.
fn introduction(program: &Program) -> String {
    format!(
        "# {}

Exported by the CNN playground (`cnnp export --format ipynb`). It needs torch only \
(`pip install torch`): no d2l, no safetensors package, nothing of ours.

Run the cells in order: the last one trains with the form's settings (`main([\"--epochs\", \"2\"])` \
changes one; every flag of the script works). The images are Fashion-MNIST's four files as \
published, in `DATA_DIR` (`--data`): nothing is downloaded.

A notebook is one process: to train on several GPUs or machines, export the script \
(`cnnp export --format py`, or the page's) and start it with `torchrun`, as its first lines show.

Back to the playground: `--save FILE` writes weights its page loads; `--weights FILE` starts \
from a file the page or `cnnp` saved.",
        program.headline()
    )
}

/// A cell's text as nbformat stores it: lines, each but the last ending in `\n`.
fn source(text: &str) -> Value {
    let text = text.trim_end();
    let lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    json!(lines)
}

fn markdown(id: usize, text: &str) -> Value {
    json!({"cell_type": "markdown", "id": format!("cell-{id}"), "metadata": {}, "source": source(text)})
}

fn code(id: usize, text: &str) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": null,
        "id": format!("cell-{id}"),
        "metadata": {},
        "outputs": [],
        "source": source(text),
    })
}

/// Cells in order, each with its id.
#[derive(Default)]
struct Cells(Vec<Value>);

impl Cells {
    fn markdown(&mut self, text: &str) {
        self.0.push(markdown(self.0.len() + 1, text));
    }

    fn code(&mut self, text: &str) {
        self.0.push(code(self.0.len() + 1, text));
    }
}

/// The notebook's JSON, one cell a line's worth of indentation, as Jupyter writes it.
pub fn to_json(program: &Program) -> String {
    let mut cells = Cells::default();
    cells.markdown(&introduction(program));
    for section in &program.sections {
        match section.about.is_empty() {
            true => cells.markdown(&format!("## {}", section.heading)),
            false => cells.markdown(&format!("## {}\n\n{}", section.heading, section.about)),
        }
        cells.code(&section.code);
        if let Some(call) = section.notebook_call {
            cells.code(call);
        }
    }
    cells.markdown("## Train\n\nWith the form's settings; give `main` flags to change them.");
    cells.code("main([])");
    let notebook = json!({
        "cells": cells.0,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    serde_json::to_string_pretty(&notebook).expect("a notebook serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cells_source_is_its_lines_with_their_newlines_but_the_last() {
        assert_eq!(source("a\nb\n\n"), json!(["a\n", "b"]));
        assert_eq!(source("one"), json!(["one"]));
        assert_eq!(source(""), json!([]));
    }

    #[test]
    fn cells_are_numbered_in_order() {
        let mut cells = Cells::default();
        cells.markdown("# x");
        cells.code("y = 1");
        assert_eq!(cells.0[0]["id"], "cell-1");
        assert_eq!(cells.0[1]["id"], "cell-2");
        assert_eq!(cells.0[1]["cell_type"], "code");
        assert_eq!(cells.0[1]["outputs"], json!([]));
    }
}
