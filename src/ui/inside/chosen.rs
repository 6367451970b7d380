//! The picture looked at, larger, and what the net makes of it.

use leptos::prelude::*;

use crate::i18n::classes::class_name;
use crate::i18n::page_inside::{ClassLine, InsideText, TestImage, WeightsLine};
use crate::i18n::{Catalogue, Lang, Say};
use crate::ui::canvas::{Bitmap, levels_rgba};
use crate::ui::inside_state::{Inside, InsideAnswer};
use crate::ui::lang::{lang, say, tr};
use crate::web::protocol::PictureRef;

/// The picture looked at, larger, and the ten class probabilities.
#[component]
pub fn ChosenPicture() -> impl IntoView {
    let inside = expect_context::<Inside>();
    let step = move |by: isize| {
        if let PictureRef::Test { index } = inside.picture.get_untracked() {
            let index = (index as isize + by).max(0) as usize;
            inside.picture.set(PictureRef::Test { index });
            inside.active.set(true);
        }
    };
    let lang = lang();
    move || {
        let answer = inside.answer.get();
        let problem = inside.problem.get();
        let picture = inside.picture.get();
        let title = move || {
            let lang = lang.get();
            match picture {
                PictureRef::Test { index } => TestImage(index).say(lang),
                PictureRef::Own => inside.own.with(|own| {
                    own.as_ref().map_or_else(
                        || InsideText::YourPicture.get(lang).to_string(),
                        |own| own.source.say(lang),
                    )
                }),
            }
        };
        let answer = answer.filter(|answer| answer.picture == picture);
        view! {
            <div class="chosen">
                <div class="chosen-head">
                    <button
                        name="picture-previous"
                        title=tr(InsideText::PreviousImage)
                        aria-label=tr(InsideText::PreviousImage)
                        on:click=move |_| step(-1)
                    >"◀"</button>
                    <strong>{title}</strong>
                    <button
                        name="picture-next"
                        title=tr(InsideText::NextImage)
                        aria-label=tr(InsideText::NextImage)
                        on:click=move |_| step(1)
                    >"▶"</button>
                </div>
                                {problem.map(|p| view! { <p class="inside-problem" role="alert">{p.say(lang.get())}</p> })}
                {answer.map(|answer| chosen_view(&answer, inside))}
            </div>
        }
    }
}

fn chosen_view(answer: &InsideAnswer, inside: Inside) -> impl IntoView + use<> {
    let note = match answer.picture {
        PictureRef::Own => inside
            .own
            .with_untracked(|own| own.as_ref().and_then(|own| own.note)),
        PictureRef::Test { .. } => None,
    };
    let label = answer.label.map(|l| say(ClassLine::True(l.into())));
    let sees = tr(InsideText::NetSees);
    view! {
        <div class="chosen-body">
            <figure class="chosen-image">
                <Bitmap
                    width=answer.format.width
                    height=answer.format.height
                    rgba=levels_rgba(answer.format, &answer.pixels)
                    css_width=112
                    title=Signal::derive(move || sees().to_string())
                />
                <figcaption>{label}</figcaption>
            </figure>
            <Probabilities answer=answer.clone() />
        </div>
        {note.map(|note| view! { <p class="picture-note">{say(note)}</p> })}
        <p class="weights">{say(WeightsLine(answer.weights.clone()))}</p>
    }
}

/// The ten probabilities as bars, the predicted class marked.
#[component]
fn Probabilities(answer: InsideAnswer) -> impl IntoView {
    let predicted = answer
        .probabilities
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(class, _)| class);
    let sum: f32 = answer.probabilities.iter().sum();
    let lang = lang();
    let rows = answer
        .probabilities
        .iter()
        .enumerate()
        .map(|(class, &p)| {
            let truth = answer.label.map(usize::from) == Some(class);
            view! {
                <li class:predicted=class == predicted class:truth=truth data-p=p>
                    <span class="class">{move || class_name(class, lang.get())}{truth.then_some(" ✓")}</span>
                    <span class="bar"><span style=format!("width: {:.1}%", p * 100.0)></span></span>
                    <span class="p">{format!("{p:.2}")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="probabilities" data-sum=sum data-predicted=class_name(predicted, Lang::En)>
            <p class="probabilities-head">{say(ClassLine::Predicted(predicted))}</p>
            <ol>{rows}</ol>
        </div>
    }
}
