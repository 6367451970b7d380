//! The test images the net was evaluated on, with what it predicts.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::GALLERY;
use crate::data::SIDE;
use crate::i18n::classes::class_name;
use crate::i18n::page_inside::{GalleryFilter, GalleryHeading, InsideText, TestImage};
use crate::i18n::{Catalogue, Say};
use crate::ui::ClientHandle;
use crate::ui::canvas::{Bitmap, grey_rgba};
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
        <div class="gallery">
            {move || {
                let predictions = inside.predictions.get();
                let chosen = inside.picture.get();
                shown.get().into_iter().map(|index| {
                    let image = inside.images.with(|images| images.get(&index).cloned());
                    let predicted = predictions.as_ref().and_then(|p| p.predicted.get(index).copied());
                    let (label, pixels) = match image {
                        Some(image) => image,
                        None => return view! { <figure class="thumb waiting"></figure> }.into_any(),
                    };
                    let wrong = predicted.is_some_and(|p| p != label);
                    let caption = move || {
                        let lang = lang.get();
                        match predicted {
                            Some(p) => format!("{}\n{}", class_name(label.into(), lang), class_name(p.into(), lang)),
                            None => class_name(label.into(), lang).to_string(),
                        }
                    };
                    let pick = move |_| inside.picture.set(PictureRef::Test { index });
                    view! {
                        <figure
                            class="thumb"
                            class:wrong=wrong
                            class:chosen=chosen == PictureRef::Test { index }
                            data-index=index
                            on:click=pick
                        >
                            <Bitmap width=SIDE height=SIDE rgba=grey_rgba(&pixels) css_width=56 title=Signal::derive(say(TestImage(index))) />
                            <figcaption>{caption}</figcaption>
                        </figure>
                    }.into_any()
                }).collect_view()
            }}
        </div>
    }
}
