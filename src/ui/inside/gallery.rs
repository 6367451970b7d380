//! The test images the net was evaluated on, with what it predicts.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::GALLERY;
use crate::i18n::classes::class_name;
use crate::i18n::page_inside::{GalleryFilter, GalleryHeading, InsideText, TestImage, ThumbLabel};
use crate::i18n::{Catalogue, Say};
use crate::ui::ClientHandle;
use crate::ui::canvas::{Bitmap, levels_rgba};
use crate::ui::inside_state::Inside;
use crate::ui::lang::{lang, say, tr};
use crate::web::protocol::PictureRef;

/// The test images the net was evaluated on, true class over predicted
/// class as the book prints them, mistakes in red; filtered to mistakes
/// or to a cell of the confusion matrix.
#[component]
pub fn Gallery() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let client = expect_context::<ClientHandle>();
    // Which test images the gallery lists, all pages together.
    let listed = Memo::new(move |_| {
        let (mistakes_only, cell) = (inside.mistakes_only.get(), inside.cell.get());
        inside
            .predictions
            .with(|p| p.as_ref().map(|p| p.matching(mistakes_only, cell)))
    });
    let shown = Memo::new(move |_| {
        let start = inside.gallery_start.get();
        match listed.get() {
            Some(listed) => listed.into_iter().skip(start).take(GALLERY).collect::<Vec<_>>(),
            None => (start..start + GALLERY).collect(),
        }
    });
    Effect::new(move |_| {
        if !inside.data_loaded.get() {
            return;
        }
        let missing: Vec<usize> = inside.images.with_untracked(|images| {
            shown
                .get()
                .into_iter()
                .filter(|i| !images.contains_key(i))
                .collect()
        });
        if !missing.is_empty() {
            client.with_value(|client| client.test_images(missing));
        }
    });
    let total = move || listed.get().map(|listed| listed.len());
    let page = move |step: isize| {
        let start = inside.gallery_start.get_untracked() as isize + step * GALLERY as isize;
        let last = total().map_or(10_000, |n| n.saturating_sub(1)) as isize;
        inside.gallery_start.set(start.clamp(0, last.max(0)) as usize);
    };
    let on_mistakes = move |ev: leptos::ev::Event| {
        let checked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.checked());
        inside.mistakes_only.set(checked);
        inside.cell.set(None);
        inside.gallery_start.set(0);
    };
    // The thumb a Tab lands on: the picture looked at when it is on this
    // page, else the page's first.
    let tab_stop = move || {
        let shown = shown.get();
        match inside.picture.get() {
            PictureRef::Test { index } if shown.contains(&index) => Some(index),
            _ => shown.first().copied(),
        }
    };
    // Arrow keys move the picture looked at (and the focus with it); Enter
    // or Space picks the focused one.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(thumb) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let Some(index) = thumb.dataset().get("index").and_then(|i| i.parse::<usize>().ok()) else {
            return;
        };
        let key = ev.key();
        if matches!(key.as_str(), "Enter" | " ") {
            ev.prevent_default();
            inside.picture.set(PictureRef::Test { index });
            return;
        }
        let shown = shown.get_untracked();
        let (Some(gallery), Some(at)) = (thumb.parent_element(), shown.iter().position(|&i| i == index))
        else {
            return;
        };
        let Some(to) = moved(&key, at, shown.len(), columns(&gallery)) else {
            return;
        };
        ev.prevent_default();
        inside.picture.set(PictureRef::Test { index: shown[to] });
        if let Some(next) = gallery
            .query_selector(&format!("[data-index=\"{}\"]", shown[to]))
            .ok()
            .flatten()
            .and_then(|next| next.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = next.focus();
        }
    };
    let lang = lang();
    let heading = move || {
        let lang = lang.get();
        let Some(predictions) = inside.predictions.get() else {
            return InsideText::GalleryUntrained.get(lang).to_string();
        };
        let filter = match (inside.cell.get(), inside.mistakes_only.get()) {
            (Some((label, predicted)), _) => GalleryFilter::Cell { label, predicted },
            (None, true) => GalleryFilter::MistakesOnly,
            (None, false) => GalleryFilter::All,
        };
        GalleryHeading {
            when: predictions.when,
            count: total().unwrap_or(0),
            filter,
        }
        .say(lang)
    };
    view! {
        <div class="gallery-head">
            <span class="gallery-title">{heading}</span>
            {move || inside.cell.get().map(|_| view! {
                <button class="chip" name="clear-cell" on:click=move |_| inside.cell.set(None)>{tr(InsideText::ShowAll)}</button>
            })}
            <label class="switch">
                <input
                    type="checkbox"
                    name="mistakes-only"
                    prop:checked=move || inside.mistakes_only.get()
                    disabled=move || inside.predictions.with(Option::is_none)
                    on:change=on_mistakes
                />
                {tr(InsideText::MistakesOnly)}
            </label>
            <button
                name="gallery-previous"
                title=tr(InsideText::PreviousPage)
                aria-label=tr(InsideText::PreviousPage)
                on:click=move |_| page(-1)
                disabled=move || inside.gallery_start.get() == 0
            >"◀"</button>
            <button
                name="gallery-next"
                title=tr(InsideText::NextPage)
                aria-label=tr(InsideText::NextPage)
                on:click=move |_| page(1)
                disabled=move || total().is_some_and(|n| inside.gallery_start.get() + GALLERY >= n)
            >"▶"</button>
        </div>
        <div class="gallery" role="listbox" aria-label=tr(InsideText::GalleryLabel) on:keydown=on_key>
            {move || {
                let predictions = inside.predictions.get();
                shown.get().into_iter().map(|index| {
                    let image = inside.images.with(|images| images.get(&index).cloned());
                    let predicted = predictions.as_ref().and_then(|p| p.predicted.get(index).copied());
                    // The picture looked at, and the one a Tab lands on.
                    let chosen = move || inside.picture.get() == PictureRef::Test { index };
                    let tabindex = move || if tab_stop() == Some(index) { "0" } else { "-1" };
                    let (label, format, pixels) = match image {
                        Some(image) => image,
                        None => return view! {
                            <div class="thumb waiting" role="option" data-index=index aria-selected="false"
                                tabindex=tabindex aria-label=say(TestImage(index))></div>
                        }.into_any(),
                    };
                    let wrong = predicted.is_some_and(|p| p != label);
                    let caption = move || {
                        let lang = lang.get();
                        match predicted {
                            Some(p) => format!("{}\n{}", class_name(label.into(), lang), class_name(p.into(), lang)),
                            None => class_name(label.into(), lang).to_string(),
                        }
                    };
                    let name = ThumbLabel { index, label: label.into(), predicted: predicted.map(usize::from) };
                    let pick = move |_| inside.picture.set(PictureRef::Test { index });
                    view! {
                        <div
                            class="thumb"
                            class:wrong=wrong
                            class:chosen=chosen
                            role="option"
                            aria-selected=move || chosen().to_string()
                            aria-label=say(name)
                            tabindex=tabindex
                            data-index=index
                            on:click=pick
                        >
                            <Bitmap width=format.width height=format.height rgba=levels_rgba(format, &pixels) css_width=56 title=Signal::derive(say(TestImage(index))) />
                            <span class="caption">
                                // A mistake is marked, not only coloured.
                                {wrong.then(|| view! { <span class="mistake-mark" aria-hidden="true">"✗ "</span> })}
                                {caption}
                            </span>
                        </div>
                    }.into_any()
                }).collect_view()
            }}
        </div>
    }
}

/// Where an arrow key moves in a grid of `count` thumbs, `columns` a row,
/// from `at`; `None` for a key that does not move.
fn moved(key: &str, at: usize, count: usize, columns: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let to = match key {
        "ArrowRight" => at + 1,
        "ArrowLeft" => at.checked_sub(1)?,
        "ArrowDown" => at + columns.max(1),
        "ArrowUp" => at.checked_sub(columns.max(1))?,
        "Home" => 0,
        "End" => last,
        _ => return None,
    };
    Some(to.min(last))
}

/// How many thumbs a row of the gallery holds (as laid out now: eight on a
/// wide screen, four on a phone).
fn columns(gallery: &web_sys::Element) -> usize {
    let children = gallery.children();
    let top = |i: u32| {
        children
            .item(i)
            .and_then(|child| child.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|child| child.offset_top())
    };
    let first = top(0);
    (0..children.length())
        .take_while(|&i| top(i) == first)
        .count()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn arrow_keys_move_within_the_page() {
        assert_eq!(moved("ArrowRight", 0, 16, 8), Some(1));
        assert_eq!(moved("ArrowRight", 15, 16, 8), Some(15));
        assert_eq!(moved("ArrowLeft", 0, 16, 8), None);
        assert_eq!(moved("ArrowDown", 3, 16, 8), Some(11));
        assert_eq!(moved("ArrowDown", 12, 16, 4), Some(15));
        assert_eq!(moved("ArrowUp", 5, 16, 4), Some(1));
        assert_eq!(moved("ArrowUp", 2, 16, 4), None);
        assert_eq!(moved("End", 2, 10, 8), Some(9));
        assert_eq!(moved("Home", 7, 10, 8), Some(0));
        assert_eq!(moved("Enter", 7, 10, 8), None);
        assert_eq!(moved("ArrowRight", 0, 0, 8), None);
    }
}
