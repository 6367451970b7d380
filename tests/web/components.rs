//! The page's components render the book's rows.

use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig};
use cnn_playground::shape::ShapeTable;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// The page gives its components the reader's language; here, English.
fn english() {
    cnn_playground::ui::lang::provide(Some(cnn_playground::i18n::Lang::En));
}

#[wasm_bindgen_test]
fn the_table_component_renders_the_books_rows() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let table = ShapeTable::compute(
        &NetConfig::default_for(Arch::AlexNet).layers(),
        &[1, INPUT_CHANNELS, 224, 224],
    )
    .unwrap();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        english();
        view! { <cnn_playground::ui::table::LayerTable table=table batch=Some(128) /> }
    });
    let rows = host.query_selector_all("tbody tr.row.top").unwrap();
    assert_eq!(rows.length(), 21, "AlexNet has 21 top-level rows");
    let shape = |i: u32| {
        rows.item(i)
            .unwrap()
            .unchecked_into::<web_sys::Element>()
            .query_selector("td.shape")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(shape(12), "[1, 256, 5, 5]");
    assert_eq!(shape(13), "[1, 6400]");
    assert_eq!(shape(20), "[1, 10]");
    let total = host
        .query_selector("tfoot td.num")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(total, "46,764,746");
}

#[wasm_bindgen_test]
async fn block_rows_expand_on_click() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let (config, side) = Arch::GoogLeNet.book_table();
    let table = ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).unwrap();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        english();
        view! { <cnn_playground::ui::table::LayerTable table=table batch=None /> }
    });
    let count = |selector: &str| host.query_selector_all(selector).unwrap().length();
    assert_eq!(count("tbody tr.row.top"), 6);
    assert_eq!(count("tbody tr.row.inner"), 0);
    let b3: web_sys::HtmlElement = host
        .query_selector_all("tbody tr.row.top button.expand")
        .unwrap()
        .item(2)
        .unwrap()
        .unchecked_into();
    b3.click();
    // Let the reactive system render.
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(
        count("tbody tr.row.inner"),
        3,
        "b3: two Inceptions and a MaxPool2d"
    );
}
