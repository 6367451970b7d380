//! The numbers an explanation needs, read back from the device in one
//! wait: on WebGPU every read is one, so the tensors are gathered first,
//! joined and read together (as `look_inside` does).

use burn::tensor::Tensor;

use crate::training::TrainError;
use crate::training::run::read;

/// Tensors to read, in the order they were asked for.
#[derive(Default)]
pub(super) struct Fetch {
    parts: Vec<Tensor<1>>,
    lengths: Vec<usize>,
}

/// Where one asked-for tensor's values are, once read.
#[derive(Clone, Copy, Debug)]
pub(super) struct Handle(usize);

impl Fetch {
    /// Asks for `tensor`'s values (row-major), cut from any graph.
    pub fn add<const D: usize>(&mut self, tensor: Tensor<D>) -> Handle {
        let length = tensor.shape().num_elements();
        let flat: Tensor<1> = tensor.inner().reshape([length]);
        self.parts.push(flat);
        self.lengths.push(length);
        Handle(self.lengths.len() - 1)
    }

    /// Reads every tensor asked for.
    pub async fn read(self, backend: &str) -> Result<Fetched, TrainError> {
        let values = match self.parts.is_empty() {
            true => vec![],
            false => read(Tensor::cat(self.parts, 0), backend).await?,
        };
        let mut offsets = Vec::with_capacity(self.lengths.len() + 1);
        offsets.push(0);
        for length in &self.lengths {
            offsets.push(offsets.last().unwrap() + length);
        }
        Ok(Fetched { values, offsets })
    }
}

/// The values read back.
pub(super) struct Fetched {
    values: Vec<f32>,
    offsets: Vec<usize>,
}

impl Fetched {
    pub fn get(&self, handle: Handle) -> &[f32] {
        &self.values[self.offsets[handle.0]..self.offsets[handle.0 + 1]]
    }

    /// A one-value tensor's value.
    pub fn one(&self, handle: Handle) -> f32 {
        self.get(handle)[0]
    }
}
