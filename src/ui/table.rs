//! The layer table: one row per element the book's loop prints, block rows
//! expanding into their inner layers, totals at the foot.

use leptos::prelude::*;

use crate::format::{bytes, shape, short, thousands};
use crate::shape::{Row, ShapeTable};

/// The table for `table`, with memory at `batch` in the foot when known.
#[component]
pub fn LayerTable(table: ShapeTable, batch: Option<usize>) -> impl IntoView {
    let rows = table.rows.clone();
    // What a training batch holds in activations, which is what must fit.
    let at_batch = batch.filter(|&b| b > 1).map(|b| {
        view! {
            <p class="at-batch">
                {format!(
                    "Activations: {} per image, {} at batch {b} (f32, before gradients).",
                    bytes(table.total_activation_bytes),
                    bytes(table.total_activation_bytes * b as u64),
                )}
            </p>
        }
    });
    view! {
        <div class="table-scroll">
            <table class="layers">
                <thead>
                    <tr>
                        <th class="num">"#"</th>
                        <th>"layer"</th>
                        <th>"settings"</th>
                        <th>"output shape"</th>
                        <th class="num">"params"</th>
                        <th class="num">"MACs"</th>
                        <th class="num">"memory"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| view! { <LayerRow row=row number=Some(i + 1) depth=0 /> })
                        .collect_view()}
                </tbody>
                <tfoot>
                    <tr class="total">
                        <td></td>
                        <td>"total"</td>
                        <td></td>
                        <td class="shape">{format!("input {}", shape(&table.input))}</td>
                        <td class="num" title=thousands(table.total_params)>{thousands(table.total_params)}</td>
                        <td class="num" title=thousands(table.total_macs)>{short(table.total_macs)}</td>
                        <td class="num">{bytes(table.total_activation_bytes)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
        {at_batch}
    }
}

/// One row, and its children when expanded.
#[component]
fn LayerRow(row: Row, number: Option<usize>, depth: usize) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let has_children = !row.children.is_empty();
    let children = row.children.clone();
    let toggle = move |_| expanded.update(|open| *open = !*open);
    let name = row.name.clone();
    let label = match has_children {
        true => view! {
            <button
                class="expand"
                aria-expanded=move || expanded.get().to_string()
                title="show the layers inside"
                on:click=toggle
            >
                <span class="chevron">{move || if expanded.get() { "▾" } else { "▸" }}</span>
                {name}
            </button>
        }
        .into_any(),
        false => view! { <span class="leaf">{name}</span> }.into_any(),
    };
    let class = match depth {
        0 => "row top".to_string(),
        d => format!("row inner depth-{}", d.min(4)),
    };
    view! {
        <tr class=class data-depth=depth>
            <td class="num">{number.map(|n| n.to_string()).unwrap_or_default()}</td>
            <td class="name" style=format!("padding-left: {}rem", 0.5 + depth as f64 * 1.1)>
                {label}
            </td>
            <td class="settings">{row.settings.clone()}</td>
            <td class="shape">{shape(&row.output)}</td>
            <td class="num" title=thousands(row.params)>{short(row.params)}</td>
            <td class="num" title=thousands(row.macs)>{short(row.macs)}</td>
            <td class="num">{bytes(row.activation_bytes)}</td>
        </tr>
        {move || {
            expanded
                .get()
                .then(|| {
                    children
                        .clone()
                        .into_iter()
                        .map(|child| view! { <LayerRow row=child number=None depth=depth + 1 /> }.into_any())
                        .collect_view()
                })
        }}
    }
}
