//! The one way across the page↔worker boundary, for both sides.
//!
//! A message is a [`Command`] (page → worker) or a [`Report`] (worker →
//! page), as JSON, with its bulk data (files, feature maps, weights,
//! images) beside it as ArrayBuffers in named [`Slot`]s, handed over
//! (transferred), never copied or written into the JSON. Each message says
//! which slots it fills ([`Message::slots`]); a message decoded here has
//! them all, so a reader takes `envelope.floats(Slot::Values)` without
//! checking.
//!
//! On the wire a message without bulk data is its JSON string, and one with
//! bulk data is `{json, buffers: {<slot>: ArrayBuffer, …}}`: the benchmark
//! pages (`www/bench`) and the Node harness speak the same.

use js_sys::{Array, ArrayBuffer, Float32Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

pub use crate::protocol::{Command, Message, Report, Slot};

/// Why something that arrived is not a message of this channel.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChannelError {
    #[error("a message that is neither JSON nor {{json, buffers}}: {0}")]
    NotAMessage(String),
    #[error("a message this side does not understand: {0}")]
    Unreadable(String),
    #[error("a {kind} message came without its {} data", slot.name())]
    MissingSlot { kind: String, slot: Slot },
    #[error("a message names a slot that does not exist: {0}")]
    UnknownSlot(String),
}

/// A message and its bulk data.
#[derive(Debug)]
pub struct Envelope<M> {
    pub message: M,
    buffers: Vec<(Slot, ArrayBuffer)>,
}

impl<M: Message> From<M> for Envelope<M> {
    fn from(message: M) -> Self {
        Envelope::new(message)
    }
}

impl<M: Message> Envelope<M> {
    pub fn new(message: M) -> Envelope<M> {
        Envelope {
            message,
            buffers: vec![],
        }
    }

    /// Puts `buffer` in `slot`, to be handed over when posted.
    pub fn with(mut self, slot: Slot, buffer: ArrayBuffer) -> Envelope<M> {
        self.buffers.retain(|(s, _)| *s != slot);
        self.buffers.push((slot, buffer));
        self
    }

    /// Puts a copy of `bytes` in `slot`.
    pub fn with_bytes(self, slot: Slot, bytes: &[u8]) -> Envelope<M> {
        self.with(slot, Uint8Array::from(bytes).buffer())
    }

    /// Puts a copy of `values` in `slot`.
    pub fn with_floats(self, slot: Slot, values: &[f32]) -> Envelope<M> {
        self.with(slot, Float32Array::from(values).buffer())
    }

    /// The buffer in `slot` (an empty one where there is none: a decoded
    /// message has all its slots).
    pub fn buffer(&self, slot: Slot) -> ArrayBuffer {
        self.buffers
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or_else(|| ArrayBuffer::new(0), |(_, buffer)| buffer.clone())
    }

    pub fn bytes(&self, slot: Slot) -> Vec<u8> {
        Uint8Array::new(&self.buffer(slot)).to_vec()
    }

    pub fn floats(&self, slot: Slot) -> Vec<f32> {
        Float32Array::new(&self.buffer(slot)).to_vec()
    }

    /// The slots this message has buffers in.
    pub fn filled(&self) -> Vec<Slot> {
        self.buffers.iter().map(|(slot, _)| *slot).collect()
    }

    fn check_slots(&self) -> Result<(), ChannelError> {
        match self
            .message
            .slots()
            .iter()
            .find(|slot| !self.filled().contains(slot))
        {
            Some(&slot) => Err(ChannelError::MissingSlot {
                kind: self.message.kind(),
                slot,
            }),
            None => Ok(()),
        }
    }

    /// The wire form, and the buffers to hand over with it.
    pub fn encode(&self) -> Result<(JsValue, Array), ChannelError> {
        self.check_slots()?;
        let json =
            serde_json::to_string(&self.message).map_err(|e| ChannelError::Unreadable(e.to_string()))?;
        if self.buffers.is_empty() {
            return Ok((JsValue::from_str(&json), Array::new()));
        }
        let buffers = Object::new();
        let transfer = Array::new();
        for (slot, buffer) in &self.buffers {
            let _ = Reflect::set(&buffers, &JsValue::from_str(slot.name()), buffer);
            transfer.push(buffer);
        }
        let wire = Object::new();
        let _ = Reflect::set(&wire, &JsValue::from_str("json"), &JsValue::from_str(&json));
        let _ = Reflect::set(&wire, &JsValue::from_str("buffers"), &buffers);
        Ok((wire.into(), transfer))
    }

    /// A message as it arrived (`MessageEvent.data`), with every slot its
    /// kind fills.
    pub fn decode(data: &JsValue) -> Result<Envelope<M>, ChannelError> {
        let (json, buffers) = match data.as_string() {
            Some(json) => (json, vec![]),
            None => (
                crate::web::get(data, "json")
                    .as_string()
                    .ok_or_else(|| ChannelError::NotAMessage(format!("{data:?}")))?,
                read_buffers(&crate::web::get(data, "buffers"))?,
            ),
        };
        let message =
            serde_json::from_str::<M>(&json).map_err(|e| ChannelError::Unreadable(format!("{e}: {json}")))?;
        let envelope = Envelope { message, buffers };
        envelope.check_slots()?;
        Ok(envelope)
    }
}

/// `{<slot>: ArrayBuffer, …}` as slots and buffers.
fn read_buffers(buffers: &JsValue) -> Result<Vec<(Slot, ArrayBuffer)>, ChannelError> {
    let Some(object) = buffers.dyn_ref::<Object>() else {
        return Ok(vec![]);
    };
    Object::entries(object)
        .iter()
        .map(|entry| {
            let entry: Array = entry.unchecked_into();
            let name = entry.get(0).as_string().unwrap_or_default();
            let slot = Slot::from_name(&name).ok_or(ChannelError::UnknownSlot(name))?;
            let buffer = entry.get(1).dyn_into::<ArrayBuffer>().map_err(|value| {
                ChannelError::NotAMessage(format!("{} is not an ArrayBuffer: {value:?}", slot.name()))
            })?;
            Ok((slot, buffer))
        })
        .collect()
}

/// The worker's end: posts a report to the page, its buffers handed over.
#[cfg(feature = "train")]
pub fn post_report(report: impl Into<Envelope<Report>>) {
    use web_sys::DedicatedWorkerGlobalScope;
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let posted = report.into().encode().and_then(|(wire, transfer)| {
        scope
            .post_message_with_transfer(&wire, &transfer)
            .map_err(|e| ChannelError::NotAMessage(format!("{e:?}")))
    });
    if let Err(e) = posted {
        // A bug on this side: say so rather than leave the page waiting.
        let failed = serde_json::to_string(&Report::Failed {
            error: crate::protocol::WorkerError::CouldNotSend {
                detail: e.to_string(),
            },
        })
        .unwrap_or_default();
        let _ = scope.post_message(&JsValue::from_str(&failed));
    }
}

/// The page's end: posts a command to `worker`, its buffers handed over.
pub fn post_command(worker: &web_sys::Worker, command: &Envelope<Command>) -> Result<(), ChannelError> {
    let (wire, transfer) = command.encode()?;
    worker
        .post_message_with_transfer(&wire, &transfer)
        .map_err(|e| ChannelError::NotAMessage(format!("{e:?}")))
}
