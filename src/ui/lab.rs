//! The lab: the book's first experiments (`crate::lab`), each with its
//! inputs and outputs as small tables of numbers, the learning run on a
//! click. Closed until opened; every section names its experiment
//! (`data-experiment`) for the end-to-end tests.

use leptos::prelude::*;

use crate::i18n::lab::{
    ChannelCaption, LabText, LargestDifference, OneByOneNote, OutputChannel, SeededStart, ShapeFormula,
};
use crate::lab::{
    Experiment, LEARNING_SEED, Learning, Matrix, cell_text, cross_correlation, edge_detection, learn_kernel,
    multi_input, multi_input_output, one_by_one, padding_and_stride, pooling, pooling_channels,
    pooling_padding_stride, starting_kernel,
};
use crate::ui::lang::{say, tr};

/// The book's first experiments, runnable, in a closed `<details>`.
#[component]
pub fn Lab() -> impl IntoView {
    let sections = Experiment::ALL
        .into_iter()
        .map(|experiment| {
            view! {
                <section class="lab-experiment" data-experiment=experiment.id()>
                    <h4>{say(experiment)}</h4>
                    {experiment_view(experiment)}
                </section>
            }
        })
        .collect_view();
    view! {
        <details class="lab">
            <summary>{tr(LabText::Title)}</summary>
            <p class="lab-intro">{tr(LabText::Intro)}</p>
            {sections}
        </details>
    }
}

fn experiment_view(experiment: Experiment) -> AnyView {
    match experiment {
        Experiment::CrossCorrelation => cross_correlation_view().into_any(),
        Experiment::EdgeDetection => edge_detection_view().into_any(),
        Experiment::LearningKernel => learning_view().into_any(),
        Experiment::PaddingStride => padding_stride_view().into_any(),
        Experiment::MultiInput => multi_input_view().into_any(),
        Experiment::MultiOutput => multi_output_view().into_any(),
        Experiment::OneByOne => one_by_one_view().into_any(),
        Experiment::Pooling => pooling_view().into_any(),
        Experiment::PoolingPaddingStride => pooling_padding_stride_view().into_any(),
        Experiment::PoolingChannels => pooling_channels_view().into_any(),
    }
}

/// A matrix as a table of numbers under its caption.
fn matrix_table<C: IntoView + 'static>(caption: C, matrix: &Matrix) -> impl IntoView + use<C> {
    let rows = (0..matrix.rows())
        .map(|r| {
            let cells = matrix
                .row(r)
                .iter()
                .map(|&v| view! { <td>{cell_text(v)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="lab-matrix" data-rows=matrix.rows() data-cols=matrix.cols()>
            <caption>{caption}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Channels as tables side by side, each captioned by `caption(c)`.
fn channel_tables<C: IntoView + 'static, F: Fn(usize) -> C>(
    channels: &[Matrix],
    caption: F,
) -> impl IntoView + use<C, F> {
    let tables = channels
        .iter()
        .enumerate()
        .map(|(c, channel)| matrix_table(caption(c), channel));
    view! { <div class="lab-row">{tables.collect_view()}</div> }
}

fn cross_correlation_view() -> impl IntoView {
    let case = cross_correlation();
    view! {
        <div class="lab-row">
            {matrix_table(tr(LabText::InputX), &case.x)}
            {matrix_table(tr(LabText::KernelK), &case.k)}
            {matrix_table(tr(LabText::Corr2dOutput), &case.y)}
        </div>
    }
}

fn edge_detection_view() -> impl IntoView {
    let case = edge_detection();
    view! {
        <div class="lab-row">
            {matrix_table(tr(LabText::EdgeImage), &case.x)}
            {matrix_table(tr(LabText::EdgeKernel), &case.k)}
        </div>
        <div class="lab-row">
            {matrix_table(tr(LabText::EdgeOutput), &case.y)}
            {matrix_table(tr(LabText::EdgeTransposed), &case.y_transposed)}
        </div>
    }
}

/// The starting kernel, and on a click the book's 10 steps: its loss
/// lines and the learned kernel (announced to a screen reader).
fn learning_view() -> impl IntoView {
    let learned = RwSignal::new(None::<Learning>);
    let learn = move |_| learned.set(Some(learn_kernel()));
    view! {
        <p>{tr(LabText::LearningNote)}</p>
        <p>{say(SeededStart(LEARNING_SEED))}</p>
        <div class="lab-row">{matrix_table(tr(LabText::StartingKernel), &starting_kernel(LEARNING_SEED))}</div>
        <button type="button" name="lab-learn" on:click=learn>{tr(LabText::Learn)}</button>
        <div class="lab-learned" aria-live="polite">
            {move || learned.get().map(learned_view)}
        </div>
    }
}

fn learned_view(learning: Learning) -> impl IntoView {
    let lines = learning
        .losses
        .into_iter()
        .map(|line| view! { <li>{say(line)}</li> })
        .collect_view();
    view! {
        <ul class="lab-losses">{lines}</ul>
        <div class="lab-row">{matrix_table(tr(LabText::LearnedKernel), &learning.kernel)}</div>
    }
}

/// Each of 6.3's layers as the book writes it, and its output's shape
/// by the formula, with the numbers.
fn padding_stride_view() -> impl IntoView {
    let cases = padding_and_stride().into_iter().map(|case| {
        let [rows, cols] = case.output;
        view! {
            <li data-output=format!("{rows}×{cols}")>
                <code>{case.code}</code>
                ": "
                {say(ShapeFormula(case))}
            </li>
        }
    });
    view! {
        <p>{tr(LabText::ShapeNote)}</p>
        <ul class="lab-shapes">{cases.collect_view()}</ul>
    }
}

fn multi_input_view() -> impl IntoView {
    let case = multi_input();
    view! {
        {channel_tables(&case.x, |channel| say(ChannelCaption { name: "X", channel }))}
        {channel_tables(&case.k, |channel| say(ChannelCaption { name: "K", channel }))}
        <div class="lab-row">{matrix_table(tr(LabText::MultiInputOutput), &case.y)}</div>
    }
}

fn multi_output_view() -> impl IntoView {
    const KERNELS: [&str; 3] = ["K", "K + 1", "K + 2"];
    let case = multi_input_output();
    view! {
        <p>{tr(LabText::MultiOutputNote)}</p>
        {channel_tables(&case.y, |channel| coded(say(OutputChannel { channel, from: KERNELS[channel] })))}
    }
}

fn one_by_one_view() -> impl IntoView {
    let case = one_by_one();
    let from = "corr2d_multi_in_out(X, K)";
    view! {
        <p>{say(OneByOneNote(case.seed))}</p>
        {channel_tables(&case.x, |channel| say(ChannelCaption { name: "X", channel }))}
        <div class="lab-row">
            {matrix_table(tr(LabText::KernelMatrix), &case.k)}
            {matrix_table(coded(tr(LabText::Product)), &case.product)}
        </div>
        {channel_tables(&case.by_convolution, |channel| coded(say(OutputChannel { channel, from })))}
        <p class="lab-difference">{say(LargestDifference(case.largest_difference))}</p>
    }
}

fn pooling_view() -> impl IntoView {
    let case = pooling();
    view! {
        <div class="lab-row">
            {matrix_table(tr(LabText::InputX), &case.x)}
            {matrix_table(tr(LabText::MaxPool), &case.max)}
            {matrix_table(coded(tr(LabText::AveragePool)), &case.average)}
        </div>
    }
}

fn pooling_padding_stride_view() -> impl IntoView {
    let case = pooling_padding_stride();
    let outputs = case
        .cases
        .iter()
        .map(|pool| matrix_table(view! { <code>{pool.code}</code> }, &pool.y))
        .collect_view();
    view! {
        <p>{coded(tr(LabText::PoolPaddingNote))}</p>
        <div class="lab-row">{matrix_table(tr(LabText::PoolInput), &case.x)}</div>
        <div class="lab-row">{outputs}</div>
    }
}

fn pooling_channels_view() -> impl IntoView {
    let case = pooling_channels();
    let from = case.code;
    view! {
        <p>{tr(LabText::PoolChannelsNote)}</p>
        {channel_tables(&case.x, |channel| say(ChannelCaption { name: "X", channel }))}
        {channel_tables(&case.y, |channel| coded(say(OutputChannel { channel, from })))}
    }
}

/// Text whose `backticked` parts are code, shown as `<code>`: code reads
/// the same in both languages.
fn coded<T: AsRef<str>>(text: impl Fn() -> T + Send + Sync + 'static) -> impl IntoView {
    move || {
        text()
            .as_ref()
            .split('`')
            .enumerate()
            .map(|(i, part)| match i % 2 {
                1 => view! { <code>{part.to_string()}</code> }.into_any(),
                _ => part.to_string().into_any(),
            })
            .collect_view()
    }
}
