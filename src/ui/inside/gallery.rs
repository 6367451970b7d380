//! The test images the net was evaluated on, with what it predicts.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{GALLERY, capitalised, class_name};
use crate::data::SIDE;
use crate::i18n::Say;
use crate::ui::ClientHandle;
use crate::ui::canvas::{Bitmap, grey_rgba};
use crate::ui::inside_state::Inside;
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
    let lang = crate::ui::lang::lang();
    let heading = move || match (inside.predictions.get(), inside.cell.get()) {
        (None, _) => "Test images (train to see what the net predicts)".to_string(),
        (Some(p), Some((label, predicted))) => format!(
            "{}: {} {} images classified as {}",
            capitalised(&p.when.say(lang.get())),
            total().unwrap_or(0),
            class_name(label),
            class_name(predicted)
        ),
        (Some(p), None) => format!(
            "{}: true class over predicted class ({} images{})",
            capitalised(&p.when.say(lang.get())),
            total().unwrap_or(0),
            if inside.mistakes_only.get() {
                ", mistakes only"
            } else {
                ""
            }
        ),
    };
    view! {
        <div class="gallery-head">
            <span class="gallery-title">{heading}</span>
            {move || inside.cell.get().map(|_| view! {
                <button class="chip" name="clear-cell" on:click=move |_| inside.cell.set(None)>"show all ✕"</button>
            })}
            <label class="switch">
                <input
                    type="checkbox"
                    name="mistakes-only"
                    prop:checked=move || inside.mistakes_only.get()
                    disabled=move || inside.predictions.with(Option::is_none)
                    on:change=on_mistakes
                />
                "mistakes only"
            </label>
            <button name="gallery-previous" on:click=move |_| page(-1) disabled=move || inside.gallery_start.get() == 0>"◀"</button>
            <button name="gallery-next" on:click=move |_| page(1)
                disabled=move || total().is_some_and(|n| inside.gallery_start.get() + GALLERY >= n)>"▶"</button>
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
                    let caption = match predicted {
                        Some(p) => format!("{}\n{}", class_name(label), class_name(p)),
                        None => class_name(label).to_string(),
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
                            <Bitmap width=SIDE height=SIDE rgba=grey_rgba(&pixels) css_width=56 title=format!("test image {index}") />
                            <figcaption>{caption}</figcaption>
                        </figure>
                    }.into_any()
                }).collect_view()
            }}
        </div>
    }
}
