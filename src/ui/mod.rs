//! The playground page, in Leptos (client-side rendering). It holds no
//! tensors: training runs in a worker (`crate::web::worker`).

pub mod app;
pub mod canvas;
pub mod chart;
pub mod client;
pub mod copy;
pub mod editor;
pub mod files;
pub mod gradients;
pub mod history;
pub mod inside;
pub mod inside_state;
pub mod state;
pub mod table;
pub mod url;

use leptos::prelude::*;

use crate::link::Link;

/// Mounts the playground on the page, set up as its URL says.
pub fn mount() {
    console_error_panic_hook::set_once();
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let link = Link::parse(&query);
    // The page shows nothing until this runs; drop the loading note.
    if let Some(loading) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("loading"))
    {
        loading.remove();
    }
    mount_to_body(move || view! { <app::App link=link /> });
}
