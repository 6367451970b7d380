//! Inside the net: the test images with what the net predicts (the book's
//! `predict_ch3`), what a clicked row of the table outputs for the chosen
//! picture (CNN Explainer's maps), a convolution's filters, and a picture
//! of one's own, drawn or dropped. Everything comes from the worker
//! (`Command::LookInside`); the page draws it.
//!
//! Its rooms: `gallery` (the test images and predictions), `chosen` (the
//! picture looked at and its probabilities), `layer_view` (a row's maps
//! and filters), `own_picture` (a drawing or a file of one's own).

mod chosen;
mod explain_view;
mod gallery;
mod layer_view;
pub(crate) mod own_picture;

use leptos::prelude::*;

use crate::i18n::page_inside::InsideText;
use crate::shape::ShapeTable;
use crate::ui::ClientHandle;
use crate::ui::inside_state::Inside;
use crate::ui::lab::Lab;
use crate::ui::lang::tr;
use crate::ui::run::Run;
use crate::ui::state::Settings;
use crate::web::protocol::{Command, ExplainAsk, PictureRef};

use chosen::ChosenPicture;
use gallery::Gallery;
use layer_view::LayerView;
use own_picture::OwnPicturePicker;

/// Images per page of the gallery: two rows of eight.
pub(crate) const GALLERY: usize = 16;
/// Channels (and filters) shown before "show all".
pub const MAPS_SHOWN: usize = 64;

/// The whole "inside the net" section, under the table.
#[component]
pub fn InsidePanel(table: Memo<Option<ShapeTable>>) -> impl IntoView {
    let settings = expect_context::<Settings>();
    let run = expect_context::<Run>();
    let inside = expect_context::<Inside>();
    let client = expect_context::<ClientHandle>();
    // Asks the worker again whenever what is looked at changes, and as
    // training goes (five times an epoch, and when it ends).
    Effect::new(move |_| {
        let (active, layer, picture, own) = (
            inside.active.get(),
            inside.layer.get(),
            inside.picture.get(),
            inside.own.get(),
        );
        let (explain, mode) = (inside.explain.get(), inside.explain_mode.get());
        run.points.with(Vec::len);
        run.history.with(Vec::len);
        run.phase.get();
        if !active {
            return;
        }
        let (Ok(net), Some(table)) = (settings.net(), table.get()) else {
            return;
        };
        let resize = table.input[2];
        let own = match picture {
            PictureRef::Own => match own {
                Some(own) => Some(own.pixels),
                None => return,
            },
            PictureRef::Test { .. } => None,
        };
        let layer = layer.unwrap_or_default();
        let explain = explain
            .filter(|(row, _)| *row == layer)
            .map(|(_, at)| ExplainAsk { at, mode });
        let command = Command::LookInside {
            net,
            resize,
            picture,
            layer,
            explain,
        };
        client.with_value(|client| client.look_inside(command, own));
    });
    let start = move |_| inside.active.set(true);
    view! {
        <section class="inside" aria-labelledby="inside-title">
            <h3 id="inside-title">{tr(InsideText::Title)}</h3>
            {move || match inside.active.get() || inside.predictions.with(Option::is_some) {
                false => view! {
                    <p class="inside-intro">
                        {tr(InsideText::IntroClick)}
                        <button class="link" name="look-inside" on:click=start>{tr(InsideText::IntroShow)}</button>
                        {tr(InsideText::IntroRandom)}
                    </p>
                }.into_any(),
                true => view! { <Gallery /> }.into_any(),
            }}
            <div class="inside-grid">
                <ChosenPicture />
                <OwnPicturePicker />
            </div>
            <LayerView table=table />
            <Lab />
        </section>
    }
}
