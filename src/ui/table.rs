//! The layer table: one row per element the book's loop prints, block rows
//! expanding into their inner layers, totals at the foot.

use leptos::prelude::*;

use crate::format::{bytes, shape, short, thousands};
use crate::shape::{Row, ShapeTable, row_path_text};
use crate::ui::inside_state::Inside;

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
                        .map(|(i, row)| view! { <LayerRow row=row path=vec![i] /> })
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

/// One row (at row path `path`), and its children when expanded. A click
/// on it shows what it outputs (`ui::inside`), where the page has that view.
#[component]
fn LayerRow(row: Row, path: Vec<usize>) -> impl IntoView {
    let depth = path.len() - 1;
    let number = (depth == 0).then(|| path[0] + 1);
    let inside = use_context::<Inside>();
    let selected = {
        let path = path.clone();
        move || inside.is_some_and(|inside| inside.layer.with(|layer| layer.as_ref() == Some(&path)))
    };
    let select = {
        let path = path.clone();
        move |_| {
            if let Some(inside) = inside {
                inside.layer.set(Some(path.clone()));
                inside.active.set(true);
            }
        }
    };
    let expanded = RwSignal::new(false);
    let has_children = !row.children.is_empty();
    let children = row.children.clone();
    let toggle = move |ev: leptos::ev::MouseEvent| {
        // Opening a block is not choosing it.
        ev.stop_propagation();
        expanded.update(|open| *open = !*open);
    };
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
        <tr
            class=class
            class:selected=selected
            class:clickable=inside.is_some()
            data-depth=depth
            data-row=row_path_text(&path)
            title=inside.is_some().then_some("click to see what this layer outputs")
            on:click=select
        >
            <td class="num">{number.map(|n| n.to_string()).unwrap_or_default()}</td>
            <td class="name" style=format!("padding-left: {}rem", 0.5 + depth as f64 * 1.1)>
                {label}
            </td>
            <td class="settings">{crate::ui::lang::say(row.settings.clone())}</td>
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
                        .enumerate()
                        .map(|(i, child)| {
                            let mut child_path = path.clone();
                            child_path.push(i);
                            view! { <LayerRow row=child path=child_path /> }.into_any()
                        })
                        .collect_view()
                })
        }}
    }
}
