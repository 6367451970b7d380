//! Every message crosses the page↔worker channel intact.

use wasm_bindgen_test::*;

#[path = "../common/messages.rs"]
mod messages;

/// `message` crosses the channel and comes back the same, each of its
/// buffers in its slot; without them it is refused, naming the slot.
fn round_trip<M>(message: M)
where
    M: cnn_playground::web::channel::Message + Clone + PartialEq,
{
    use cnn_playground::web::channel::{ChannelError, Envelope};
    let slots = message.slots();
    let bytes = |i: usize| vec![i as u8, 1, 2, 3];
    let envelope = slots
        .iter()
        .enumerate()
        .fold(Envelope::new(message.clone()), |envelope, (i, &slot)| {
            envelope.with_bytes(slot, &bytes(i))
        });
    let (wire, transfer) = envelope.encode().unwrap();
    assert_eq!(
        transfer.length() as usize,
        slots.len(),
        "{message:?}: every buffer handed over"
    );
    assert_eq!(
        wire.is_string(),
        slots.is_empty(),
        "{message:?}: plain JSON without bulk data"
    );
    let back = Envelope::<M>::decode(&wire).unwrap();
    assert_eq!(back.message, message);
    for (i, &slot) in slots.iter().enumerate() {
        assert_eq!(back.bytes(slot), bytes(i), "{message:?}: slot {slot:?}");
    }
    if let Some(&slot) = slots.first() {
        let bare = Envelope::new(message.clone());
        match bare.encode() {
            Err(ChannelError::MissingSlot { slot: missing, .. }) => assert_eq!(missing, slot),
            other => panic!("{message:?} without its data: {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn every_message_crosses_the_channel_with_its_buffers() {
    messages::commands().into_iter().for_each(round_trip);
    messages::reports().into_iter().for_each(round_trip);
}

#[wasm_bindgen_test]
fn what_is_not_a_message_is_refused_by_name() {
    use cnn_playground::web::channel::{ChannelError, Envelope};
    use cnn_playground::web::protocol::Report;
    let not_json = wasm_bindgen::JsValue::from_str("{type: ready");
    assert!(matches!(
        Envelope::<Report>::decode(&not_json),
        Err(ChannelError::Unreadable(_))
    ));
    let number = wasm_bindgen::JsValue::from_f64(3.0);
    assert!(matches!(
        Envelope::<Report>::decode(&number),
        Err(ChannelError::NotAMessage(_))
    ));
    let unknown_slot =
        js_sys::JSON::parse(r#"{"json": "{\"type\": \"pong\"}", "buffers": {"secrets": 1}}"#).unwrap();
    assert!(matches!(
        Envelope::<Report>::decode(&unknown_slot),
        Err(ChannelError::UnknownSlot(_))
    ));
}
