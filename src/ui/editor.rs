//! Change the net: its description's fields (`arch::edit`), the book's
//! exercises as presets, the description as JSON for the command line.
//! The shape table above follows every keystroke; a field that cannot be
//! read says why under it, and a net that no longer fits its input is named
//! by the table, at the layer.

use leptos::prelude::*;

use crate::arch::NetConfig;
use crate::arch::edit::{self, Column, Field, Kind};
use crate::i18n::Catalogue;
use crate::i18n::edit::say_value;
use crate::i18n::page_inside::{CellLabel, EditorText, RemoveRow};
use crate::ui::copy::CopyButton;
use crate::ui::exercise::ExerciseCompare;
use crate::ui::lang::{lang, say, tr};
use crate::ui::run::Run;
use crate::ui::state::Settings;

#[component]
pub fn NetEditor(hidden: Vec<String>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let lang = lang();
    let running = Signal::derive(move || run.busy());
    let show_ratio = !hidden.iter().any(|h| h == "ratio");
    // The fields of the book's net: which inputs there are changes with the
    // net only, so typing never rebuilds (and unfocuses) an input.
    let fields = Memo::new(move |_| edit::fields(&NetConfig::default_for(settings.arch.get())));
    let edited = Memo::new(move |_| {
        let arch = settings.arch.get();
        settings
            .net()
            .is_ok_and(|net| net != NetConfig::default_for(arch).with_io(net.io()))
    });
    let json = move || {
        settings
            .net()
            .map(|net| serde_json::to_string_pretty(&net).unwrap_or_default())
            .unwrap_or_else(|e| crate::ui::lang::lang().get().say(&e))
    };
    view! {
        <details class="editor" open=!narrow_screen()>
            <summary>
                {tr(EditorText::Change)}
                {move || edited.get().then(|| view! { <span class="edited-mark">{tr(EditorText::Edited)}</span> })}
            </summary>
            <div class="presets" role="group" aria-label=tr(EditorText::Exercises)>
                <span class="presets-label">{tr(EditorText::ExercisesLabel)}</span>
                {move || edit::presets(settings.arch.get()).into_iter().map(|preset| {
                    let id = preset.id;
                    let chosen = move || settings.preset.get() == Some(id);
                    view! {
                        <button
                            type="button"
                            data-preset=id
                            class:chosen=chosen
                            aria-pressed=move || chosen().to_string()
                            disabled=move || running.get()
                            on:click=move |_| settings.use_preset(&preset)
                        >{tr(preset.title)}</button>
                    }
                }).collect_view()}
                <button
                    type="button"
                    class="reset"
                    disabled=move || running.get() || !edited.get()
                    on:click=move |_| settings.reset_net()
                >{tr(EditorText::Reset)}</button>
            </div>
            {move || settings.preset.get().and_then(edit::preset).map(|preset| view! {
                <p class="question"><strong>{tr(preset.title)} {move || lang.get().pick(": ", "：")}</strong>{tr(preset.question)}</p>
                <ExerciseCompare preset=preset />
            })}
            <div class="edit-fields">
                {move || fields.get().into_iter()
                    .filter(|field| show_ratio || field.key != "ratio")
                    .map(|field| view! { <EditField field=field disabled=running /> })
                    .collect_view()}
            </div>
            <details class="as-json">
                <summary>{tr(EditorText::AsJson)} <code>"cnnp … --config FILE"</code></summary>
                // Made again in the reader's language when it changes.
                {move || {
                    let lang = lang.get();
                    view! {
                        <CopyButton
                            text=Callback::new(move |()| json())
                            label=EditorText::Copy.get(lang)
                            done=EditorText::Copied.get(lang)
                            blocked=EditorText::CopyBlocked.get(lang)
                            name="copy-json"
                        />
                    }
                }}
                // Focusable: a keyboard scrolls it.
                <pre class="net-json" tabindex="0">{json}</pre>
            </details>
        </details>
    }
}

/// One field: a text box, a choice, a switch, or a table of blocks.
#[component]
fn EditField(field: Field, disabled: Signal<bool>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let lang = lang();
    let key = field.key;
    // The label names the field's control (a screen reader says it).
    let label_id = format!("edit-{key}");
    let text = Signal::derive(move || settings.edit_text(key).unwrap_or_default());
    let error = Signal::derive(move || settings.edit_error(key));
    let set = move |value: String| {
        settings.set_edit(key, value);
        settings.preset.set(None);
    };
    let input = match field.kind {
        Kind::Choice(choices) => view! {
            <select name=key aria-labelledby=label_id.clone() disabled=move || disabled.get() on:change=move |ev| set(event_target_value(&ev))>
                {choices.iter().map(|&choice| view! {
                    <option value=choice selected=move || text.get() == choice>{move || say_value(choice, lang.get())}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        Kind::Flag => view! {
            <input
                type="checkbox"
                name=key
                aria-labelledby=label_id.clone()
                prop:checked=move || text.get() == "on"
                disabled=move || disabled.get()
                on:change=move |ev| set(if event_target_checked(&ev) { "on" } else { "off" }.to_string())
            />
        }
        .into_any(),
        Kind::Rows {
            columns, max_rows, ..
        } => view! { <RowsInput key=key columns=columns max_rows=max_rows text=text disabled=disabled /> }
            .into_any(),
        _ => view! {
            <input
                type="text"
                name=key
                aria-labelledby=label_id.clone()
                inputmode=if matches!(field.kind, Kind::Number { .. }) { "decimal" } else { "numeric" }
                prop:value=move || text.get()
                disabled=move || disabled.get()
                aria-invalid=move || error.get().is_some().to_string()
                on:input=move |ev| set(event_target_value(&ev))
            />
        }
        .into_any(),
    };
    let wide = matches!(field.kind, Kind::Rows { .. } | Kind::List { .. });
    view! {
        <div class="field edit-field" class:wide=wide class:flag=matches!(field.kind, Kind::Flag) class:invalid=move || error.get().is_some() data-key=key>
            <span class="field-label" id=label_id>{tr(field.label)}</span>
            {input}
            {move || error.get().map(|e| view! { <span class="field-error">{lang.get().say(&e)}</span> })}
        </div>
    }
}

/// A table's rows as cells: `1×64, 2×128` → `[["1", "64"], ["2", "128"]]`.
fn cells(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .map(str::trim)
        .filter(|row| !row.is_empty())
        .map(|row| {
            row.split(['×', 'x'])
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

fn joined(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|row| row.join("×"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Blocks as rows of number boxes, each removable, and one more to add.
#[component]
fn RowsInput(
    key: &'static str,
    columns: &'static [Column],
    max_rows: usize,
    text: Signal<String>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let rows = Memo::new(move |_| cells(&text.get()));
    let count = Memo::new(move |_| rows.get().len());
    let change = move |edit: &dyn Fn(&mut Vec<Vec<String>>)| {
        let mut now = rows.get_untracked();
        edit(&mut now);
        settings.set_edit(key, joined(&now));
        settings.preset.set(None);
    };
    view! {
        <table class="rows-input" data-rows=move || count.get()>
            <thead><tr>
                <th>"#"</th>
                {columns.iter().map(|&c| view! { <th>{tr(c)}</th> }).collect_view()}
                <td></td>
            </tr></thead>
            <tbody>
                <For each=move || 0..count.get() key=|i| *i let:i>
                    <tr>
                        <td class="row-number">{i + 1}</td>
                        {(0..columns.len()).map(|j| view! {
                            <td><input
                                type="text"
                                inputmode="numeric"
                                class="cell"
                                aria-label=say(CellLabel { column: columns[j], row: i + 1 })
                                prop:value=move || rows.with(|rows| rows.get(i).and_then(|row| row.get(j)).cloned().unwrap_or_default())
                                disabled=move || disabled.get()
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    change(&|rows| {
                                        if let Some(row) = rows.get_mut(i) {
                                            row.resize(columns.len(), String::new());
                                            row[j] = value.clone();
                                        }
                                    });
                                }
                            /></td>
                        }).collect_view()}
                        <td><button
                            type="button"
                            class="remove-row"
                            title=tr(EditorText::RemoveRow)
                            aria-label=say(RemoveRow(i + 1))
                            disabled=move || { disabled.get() || count.get() <= 1 }
                            on:click=move |_| change(&|rows| { if i < rows.len() { rows.remove(i); } })
                        >"✕"</button></td>
                    </tr>
                </For>
            </tbody>
        </table>
        <button
            type="button"
            class="add-row"
            disabled=move || { disabled.get() || count.get() >= max_rows }
            on:click=move |_| change(&|rows| {
                let last = rows.last().cloned().unwrap_or_else(|| vec!["1".to_string(); columns.len()]);
                rows.push(last);
            })
        >{tr(EditorText::AddRow)}</button>
    }
}

/// A phone's screen: the editor starts closed there, so the table and
/// Train are not screens away.
fn narrow_screen() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|width| width.as_f64())
        .is_some_and(|width| width <= 700.0)
}
