//! "How this row computes": the value asked for (a map's cell clicked,
//! or typed), set beside the arithmetic the worker read from the same
//! forward pass — CNN Explainer's window, kernel and products as grids
//! of numbers, and each step as a line in the reader's language.

use leptos::prelude::*;

use crate::i18n::Say;
use crate::i18n::explain::{how_lines, num};
use crate::i18n::page_inside::{ExplainText, GridCaption, ResidualCaption, ValueCheck};
use crate::training::explain::{ChannelWindow, ExplainMode, Explanation, How, PoolWindow, Position};
use crate::ui::canvas::{Bitmap, heat_rgba, magnitude};
use crate::ui::inside_state::{Inside, InsideAnswer};
use crate::ui::lang::{lang, tr};

/// Input channels whose window, kernel and products are drawn as grids
/// (the others are summed in the lines).
const GRID_CHANNELS: usize = 3;

/// The panel under a row's maps: where to look, and what was found.
#[component]
pub fn ExplainView(path: Vec<usize>, shape: Vec<usize>) -> impl IntoView {
    let inside = expect_context::<Inside>();
    let row = path.clone();
    let found = move || {
        let (asked_row, at) = inside.explain.get()?;
        (asked_row == row).then_some(at)
    };
    let result = move || {
        let at = found()?;
        let answer = inside.answer.get()?;
        Some(match answer.explained.clone() {
            Some(Ok(explanation)) if explanation.at == at => explained(&answer, *explanation).into_any(),
            Some(Err(error)) => {
                view! { <p class="problem" role="alert">{move || error.say(lang().get())}</p> }.into_any()
            }
            _ => view! { <p class="waiting">{tr(ExplainText::Pending)}</p> }.into_any(),
        })
    };
    view! {
        <section class="explain" aria-labelledby="explain-title">
            <h4 id="explain-title">{tr(ExplainText::Title)}</h4>
            <p class="hint">{tr(ExplainText::Hint)}</p>
            <AskForm path=path shape=shape />
            <div aria-live="polite">{result}</div>
        </section>
    }
}

/// Which value, typed: channel, row, column (a flat row's feature), and
/// the mode.
#[component]
fn AskForm(path: Vec<usize>, shape: Vec<usize>) -> impl IntoView {
    let inside = expect_context::<Inside>();
    let limits: Vec<(ExplainText, &'static str, usize)> = match shape[..] {
        [_, c, h, w] => vec![
            (ExplainText::Channel, "explain-channel", c),
            (ExplainText::Row, "explain-row", h),
            (ExplainText::Column, "explain-column", w),
        ],
        [_, f] => vec![(ExplainText::Feature, "explain-channel", f)],
        _ => vec![],
    };
    let fields: Vec<RwSignal<usize>> = limits.iter().map(|_| RwSignal::new(0)).collect();
    // A click on a map fills the fields with where it landed.
    let filled = fields.clone();
    let row = path.clone();
    Effect::new(move |_| {
        if let Some((asked_row, at)) = inside.explain.get()
            && asked_row == row
        {
            for (field, value) in filled.iter().zip([at.channel, at.y, at.x]) {
                field.set(value);
            }
        }
    });
    let inputs = limits
        .into_iter()
        .zip(fields.clone())
        .map(|((label, name, limit), field)| {
            let read = move |ev| {
                if let Ok(value) = event_target_value(&ev).parse::<usize>() {
                    field.set(value.min(limit.saturating_sub(1)));
                }
            };
            view! {
                <label>
                    {tr(label)}" "
                    <input type="number" name=name min="0" max=limit.saturating_sub(1) prop:value=move || field.get() on:change=read />
                </label>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Vec<usize> = fields.iter().map(|field| field.get_untracked()).collect();
        let at = match values[..] {
            [channel, y, x] => Position::new(channel, y, x),
            [feature] => Position::new(feature, 0, 0),
            _ => return,
        };
        inside.explain.set(Some((path.clone(), at)));
    };
    let mode = |value: ExplainMode, label: ExplainText| {
        let pick = move |_| inside.explain_mode.set(value);
        view! {
            <label>
                <input type="radio" name="explain-mode" value=value.id() prop:checked=move || inside.explain_mode.get() == value on:change=pick />
                {tr(label)}
            </label>
        }
    };
    view! {
        <form class="explain-ask" on:submit=submit>
            {inputs}
            <button type="submit" name="explain-go">{tr(ExplainText::Go)}</button>
            <fieldset class="explain-mode">
                <legend>{tr(ExplainText::ModeLegend)}</legend>
                {mode(ExplainMode::Eval, ExplainText::Evaluation)}
                {mode(ExplainMode::Train, ExplainText::Training)}
            </fieldset>
        </form>
    }
}

/// The value and its arithmetic.
fn explained(answer: &InsideAnswer, explanation: Explanation) -> impl IntoView + use<> {
    // The maps are drawn as evaluation computes them; in training mode the
    // value is the one that mode's own forward pass gave.
    let shown = match explanation.mode {
        ExplainMode::Eval => answer.value_at(explanation.at).unwrap_or(explanation.value),
        ExplainMode::Train => explanation.value,
    };
    let computed = explanation.computed();
    let check = ValueCheck {
        mode: explanation.mode,
        shown,
        computed,
    };
    let how = explanation.how.clone();
    let lines = move || {
        how_lines(&how, lang().get())
            .into_iter()
            .map(|line| view! { <li>{line}</li> })
            .collect_view()
    };
    let mode_line = explanation.mode;
    let residual = residual_maps(&explanation, &answer.residual_maps);
    view! {
        <p class="explain-value" data-shown=num(shown) data-computed=num(computed)>
            {move || check.say(lang().get())}
        </p>
        <p class="hint">{move || mode_line.say(lang().get())}</p>
        <ol class="explain-lines">{lines}</ol>
        {grids(&explanation.how)}
        {residual}
    }
}

/// A residual block's f(x), x and their sum for the value's channel, on
/// one colour scale, the explained cell framed on each.
fn residual_maps(explanation: &Explanation, maps: &[f32]) -> Option<impl IntoView + use<>> {
    let How::Residual(_) = explanation.how else {
        return None;
    };
    let [_, _, h, w] = explanation.output[..] else {
        return None;
    };
    if maps.len() != 3 * h * w {
        return None;
    }
    let scale = magnitude(maps);
    let css = if w >= 40 { 96 } else { 64 };
    let at = explanation.at;
    let cell = css as f64 / w as f64;
    let frame = format!(
        "left: {:.1}px; top: {:.1}px; width: {cell:.1}px; height: {cell:.1}px",
        at.x as f64 * cell + 1.0,
        at.y as f64 * cell + 1.0
    );
    let figures = [ExplainText::Body, ExplainText::Shortcut, ExplainText::Sum]
        .into_iter()
        .zip(maps.chunks(h * w))
        .map(|(what, map)| {
            view! {
                <figure class="map">
                    <Bitmap width=w height=h rgba=heat_rgba(map, scale) css_width=css />
                    <span class="map-marker" style=frame.clone() aria-hidden="true"></span>
                    <figcaption>{tr(what)}</figcaption>
                </figure>
            }
        })
        .collect_view();
    Some(view! {
        <p class="hint">{move || ResidualCaption { channel: at.channel }.say(lang().get())}</p>
        <div class="maps residual-maps">{figures}</div>
    })
}

/// The grids behind a convolution's or a pooling's value.
fn grids(how: &How) -> AnyView {
    match how {
        How::Conv(conv) => {
            let channels = conv
                .detail
                .iter()
                .take(GRID_CHANNELS)
                .map(|channel| channel_grids(channel, conv.kernel))
                .collect_view();
            view! {
                <p class="hint">{tr(ExplainText::PaddingMark)}</p>
                <div class="explain-grids">{channels}</div>
            }
            .into_any()
        }
        How::Pool(pool) if pool.kernel[0] > 0 => pool_grid(pool).into_any(),
        How::Sequence(sequence) => grids(&sequence.last.how),
        _ => ().into_any(),
    }
}

fn channel_grids(channel: &ChannelWindow, kernel: usize) -> impl IntoView + use<> {
    let c = channel.channel;
    let grid = |what: ExplainText, values: &[f32], padding: Option<&[bool]>| {
        let caption = GridCaption { channel: c, what };
        number_grid(caption, values, padding, kernel, None)
    };
    view! {
        <div class="explain-channel" data-channel=c>
            {grid(ExplainText::Window, &channel.window, Some(&channel.padding))}
            {grid(ExplainText::Kernel, &channel.kernel, None)}
            {grid(ExplainText::Products, &channel.products, None)}
        </div>
    }
}

fn pool_grid(pool: &PoolWindow) -> impl IntoView + use<> {
    let caption = GridCaption {
        channel: pool.channel,
        what: ExplainText::Window,
    };
    view! {
        <div class="explain-grids">
            {number_grid(caption, &pool.window, Some(&pool.padding_cells), pool.kernel[1], pool.winner)}
        </div>
    }
}

/// A k×k table of numbers tinted by sign and size (red positive, blue
/// negative, light enough for the digits to read), padding as ·, the
/// winning cell of a max marked.
fn number_grid(
    caption: GridCaption,
    values: &[f32],
    padding: Option<&[bool]>,
    width: usize,
    winner: Option<usize>,
) -> impl IntoView + use<> {
    let width = width.max(1);
    let tints = heat_rgba(values, magnitude(values));
    let rows = values
        .chunks(width)
        .enumerate()
        .map(|(r, row)| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(col, &value)| {
                    let i = r * width + col;
                    let is_padding = padding.is_some_and(|pads| pads[i]);
                    let text = if is_padding { "·".to_string() } else { num(value) };
                    let [red, green, blue] = [0, 1, 2].map(|k| tint(tints[i * 4 + k]));
                    let class = if winner == Some(i) { "winner" } else { "" };
                    view! { <td class=class style=format!("background: rgb({red}, {green}, {blue})")>{text}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="explain-grid">
            <caption>{move || caption.say(lang().get())}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A map colour faded to 40% over white, so that black digits read on it.
fn tint(channel: u8) -> u8 {
    (0.4 * channel as f32 + 0.6 * 255.0).round() as u8
}
