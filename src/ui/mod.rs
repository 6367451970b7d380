//! The playground page, in Leptos (client-side rendering). It holds no
//! tensors: training runs in a worker (`crate::web::worker`).

pub mod app;
pub mod camera;
pub mod canvas;
pub mod chart;
pub mod client;
pub mod confusion;
pub mod copy;
pub mod draw_classes;
pub mod editor;
pub mod exercise;
pub mod field;
pub mod files;
pub mod gradients;
pub mod header;
pub mod history;
pub mod inside;
pub mod inside_state;
pub mod lab;
pub mod lang;
pub mod net_panel;
pub mod own_data;
pub mod own_files;
pub mod run;
pub mod setups;
pub mod state;
pub mod status;
pub mod table;
pub mod train_panel;
pub mod url;
pub mod weights_bar;

use leptos::prelude::*;

use crate::link::Link;

/// How views reach the worker client: it holds the worker, a JavaScript
/// object, so it stays on this thread behind a (Send) handle.
pub type ClientHandle = StoredValue<client::Client, LocalStorage>;

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
