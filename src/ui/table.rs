//! The layer table: one row per element the book's loop prints, block rows
//! expanding into their inner layers, totals at the foot.

use leptos::prelude::*;

use crate::format::shape;
use crate::i18n::page_inside::{ActivationsLine, InputShape, TableText, short_count};
use crate::shape::{Row, ShapeTable, row_path_text};
use crate::ui::inside_state::Inside;
use crate::ui::lang::{lang, say, tr};

/// The table for `table`, with memory at `batch` in the foot when known.
#[component]
pub fn LayerTable(table: ShapeTable, batch: Option<usize>) -> impl IntoView {
    let lang = lang();
    let rows = table.rows.clone();
    // What a training batch holds in activations, which is what must fit.
    let at_batch = batch.filter(|&b| b > 1).map(|b| {
        let line = ActivationsLine {
            per_image: table.total_activation_bytes,
            batch: b,
        };
        view! { <p class="at-batch">{say(line)}</p> }
    });
    let (params, macs, memory) = (table.total_params, table.total_macs, table.total_activation_bytes);
    view! {
        <div class="table-scroll">
            <table class="layers">
                <thead>
                    <tr>
                        <th class="num">{tr(TableText::Number)}</th>
                        <th>{tr(TableText::Layer)}</th>
                        <th>{tr(TableText::Settings)}</th>
                        <th>{tr(TableText::OutputShape)}</th>
                        <th class="num">{tr(TableText::Params)}</th>
                        <th class="num" title=tr(TableText::MacsTitle)>{tr(TableText::Macs)}</th>
                        <th class="num" title=tr(TableText::MemoryTitle)>{tr(TableText::Memory)}</th>
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
                        <td>{tr(TableText::Total)}</td>
                        <td></td>
                        <td class="shape">{say(InputShape(shape(&table.input)))}</td>
                        <td class="num" title=move || lang.get().count(params)>{move || lang.get().count(params)}</td>
                        <td class="num" title=move || lang.get().count(macs)>{move || short_count(macs, lang.get())}</td>
                        <td class="num">{move || lang.get().bytes(memory)}</td>
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
    let (lang, click_to_see) = (lang(), tr(TableText::ClickToSee));
    let depth = path.len() - 1;
    let number = (depth == 0).then(|| path[0] + 1);
    let inside = use_context::<Inside>();
    let selected = {
        let path = path.clone();
        move || inside.is_some_and(|inside| inside.layer.with(|layer| layer.as_ref() == Some(&path)))
    };
    let select = {
        let path = path.clone();
        move || {
            if let Some(inside) = inside {
                inside.layer.set(Some(path.clone()));
                inside.active.set(true);
            }
        }
    };
    let on_click = {
        let select = select.clone();
        move |_| select()
    };
    // A keyboard opens a row's maps as a click does: Enter or Space on the
    // row itself (not on its expand button, which has its own).
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let on_row = ev
            .target()
            .is_some_and(|target| Some(target) == ev.current_target());
        if on_row && matches!(ev.key().as_str(), "Enter" | " ") {
            ev.prevent_default();
            select();
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
    let (params, macs, memory) = (row.params, row.macs, row.activation_bytes);
    let label = match has_children {
        true => view! {
            <button
                class="expand"
                aria-expanded=move || expanded.get().to_string()
                title=tr(TableText::ShowInside)
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
            class:selected=selected.clone()
            class:clickable=inside.is_some()
            data-depth=depth
            data-row=row_path_text(&path)
            title=move || inside.is_some().then(click_to_see)
            tabindex=inside.is_some().then_some("0")
            aria-current=move || selected().then_some("true")
            on:click=on_click
            on:keydown=on_key
        >
            <td class="num">{number.map(|n| n.to_string()).unwrap_or_default()}</td>
            <td class="name" style=format!("padding-left: {}rem", 0.5 + depth as f64 * 1.1)>
                {label}
            </td>
            <td class="settings">{crate::ui::lang::say(row.settings.clone())}</td>
            <td class="shape">{shape(&row.output)}</td>
            <td class="num" title=move || lang.get().count(params)>{move || short_count(params, lang.get())}</td>
            <td class="num" title=move || lang.get().count(macs)>{move || short_count(macs, lang.get())}</td>
            <td class="num">{move || lang.get().bytes(memory)}</td>
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
