//! Classes one draws, Teachable Machine's way in: name 2 to 10 classes,
//! draw examples of each on the pad, and train the whole net on them. The
//! drawings become a folder of PNGs in ImageFolder's layout
//! (`drawings/<class>/001.png`), handed over as a picked folder is: the
//! worker reads them as it reads any folder.

use leptos::prelude::*;

use crate::data::SIDE;
use crate::i18n::Say;
use crate::i18n::page_own::{DrawnProblem, OwnText};
use crate::picture::png_grey;
use crate::ui::camera::Camera;
use crate::ui::canvas::{Bitmap, grey_rgba};
use crate::ui::inside::own_picture::DrawingPad;
use crate::ui::lang::{lang, tr};
use crate::ui::own_files::PathedFile;

/// Classes one may draw: Teachable Machine's few, at least two.
pub const MAX_DRAWN_CLASSES: usize = 10;
const MIN_DRAWN_CLASSES: usize = 2;
/// Each class needs two drawings at least: one to train on, one to test.
const MIN_DRAWINGS: usize = 2;
/// The folder the drawings make.
const FOLDER: &str = "drawings";

#[derive(Clone, Copy)]
struct DrawnClass {
    name: RwSignal<String>,
    /// Each drawing's 28×28 grey levels.
    drawings: RwSignal<Vec<Vec<u8>>>,
}

impl DrawnClass {
    fn new(name: String) -> DrawnClass {
        DrawnClass {
            name: RwSignal::new(name),
            drawings: RwSignal::new(vec![]),
        }
    }
}

/// A class's folder name: its name, trimmed, without path separators.
fn folder_name(name: &str) -> String {
    name.trim().replace(['/', '\\'], "-")
}

/// The drawings as files of a folder, or why they cannot be one yet.
fn as_files(classes: &[(String, Vec<Vec<u8>>)]) -> Result<Vec<PathedFile>, DrawnProblem> {
    let mut seen: Vec<String> = vec![];
    for (number, (name, drawings)) in classes.iter().enumerate() {
        let name = folder_name(name);
        if name.is_empty() {
            return Err(DrawnProblem::NoName { class: number + 1 });
        }
        if seen.contains(&name) {
            return Err(DrawnProblem::SameName { name });
        }
        if drawings.len() < MIN_DRAWINGS {
            return Err(DrawnProblem::TooFew {
                name,
                drawings: drawings.len(),
                needs: MIN_DRAWINGS,
            });
        }
        seen.push(name);
    }
    let mut files = vec![];
    for (name, drawings) in classes {
        for (i, levels) in drawings.iter().enumerate() {
            let path = format!("{FOLDER}/{}/{:03}.png", folder_name(name), i + 1);
            let png = png_grey(SIDE, SIDE, levels);
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(png.as_slice()));
            let file =
                web_sys::File::new_with_u8_array_sequence(&parts, &path).map_err(|e| DrawnProblem::Page {
                    detail: format!("{e:?}"),
                })?;
            files.push(PathedFile { path, file });
        }
    }
    Ok(files)
}

/// Name classes, draw examples of each, train on them.
#[component]
pub fn DrawClasses(on_files: Callback<Vec<PathedFile>>, running: Signal<bool>) -> impl IntoView {
    let lang = lang();
    let default_name =
        move |number: usize| OwnText::DefaultClass.say(lang.get_untracked()) + &format!(" {number}");
    let classes = RwSignal::new(
        (1..=MIN_DRAWN_CLASSES)
            .map(|n| DrawnClass::new(default_name(n)))
            .collect::<Vec<_>>(),
    );
    // The pad's last drawing, and a count that clears it when it changes.
    let latest = RwSignal::new(None::<Vec<u8>>);
    let cleared = RwSignal::new(0usize);
    let problem = RwSignal::new(None::<DrawnProblem>);
    let on_picture = Callback::new(move |result: Result<crate::picture::Picture, _>| match result {
        Ok(picture) => latest.set(Some(picture.pixels)),
        Err(_) => latest.set(None),
    });
    let add_to = move |class: DrawnClass| match latest.get_untracked() {
        Some(levels) => {
            class.drawings.update(|drawings| drawings.push(levels));
            latest.set(None);
            cleared.update(|n| *n += 1);
            problem.set(None);
        }
        None => problem.set(Some(DrawnProblem::DrawFirst)),
    };
    let camera = Camera::off();
    let from_camera = move |class: DrawnClass| match camera.grab() {
        Ok(levels) => {
            class.drawings.update(|drawings| drawings.push(levels));
            problem.set(None);
        }
        Err(e) => problem.set(Some(DrawnProblem::Camera(e))),
    };
    let toggle_camera = move |_| match camera.on.get_untracked() {
        true => camera.stop(),
        false => leptos::task::spawn_local(async move {
            match camera.start().await {
                Ok(()) => problem.set(None),
                Err(e) => problem.set(Some(DrawnProblem::Camera(e))),
            }
        }),
    };
    let add_class = move |_| {
        let number = classes.with_untracked(Vec::len) + 1;
        if number <= MAX_DRAWN_CLASSES {
            classes.update(|classes| classes.push(DrawnClass::new(default_name(number))));
        }
    };
    let use_drawings = move |_| {
        let drawn: Vec<(String, Vec<Vec<u8>>)> = classes
            .get_untracked()
            .iter()
            .map(|class| (class.name.get_untracked(), class.drawings.get_untracked()))
            .collect();
        match as_files(&drawn) {
            Ok(files) => {
                problem.set(None);
                on_files.run(files);
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    let rows = move || {
        let count = classes.with(Vec::len);
        classes
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, class)| {
                let remove = move |_| {
                    classes.update(|classes| {
                        if classes.len() > MIN_DRAWN_CLASSES {
                            classes.remove(k);
                        }
                    })
                };
                let thumbs = move || {
                    class.drawings.with(|drawings| {
                        drawings
                            .iter()
                            .rev()
                            .take(6)
                            .map(|levels| view! { <Bitmap width=SIDE height=SIDE rgba=grey_rgba(levels) css_width=28 /> })
                            .collect_view()
                    })
                };
                view! {
                    <li class="drawn-class" data-class=k>
                        <input
                            name="class-name"
                            aria-label=move || OwnText::ClassNameLabel.say(lang.get()) + &format!(" {}", k + 1)
                            prop:value=move || class.name.get()
                            on:input=move |ev| class.name.set(event_target_value(&ev))
                        />
                        <span class="drawn-count">{move || class.drawings.with(Vec::len)}</span>
                        <span class="muted">{tr(OwnText::Drawings)}</span>
                        <button name="add-drawing" on:click=move |_| add_to(class)>{tr(OwnText::AddDrawing)}</button>
                        <button name="add-camera" on:click=move |_| from_camera(class) hidden=move || !camera.on.get()>
                            {tr(OwnText::AddFromCamera)}
                        </button>
                        <button name="remove-class" on:click=remove disabled={count <= MIN_DRAWN_CLASSES}>{tr(OwnText::RemoveClass)}</button>
                        <span class="drawn-thumbs">{thumbs}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="draw-classes">
            <strong>{tr(OwnText::DrawTitle)}</strong>
            <p class="hint">{tr(OwnText::DrawHint)}</p>
            <div class="draw-sources">
                <DrawingPad on_picture canvas_class="class-drawing" clear_name="clear-class-drawing" cleared=Signal::from(cleared) />
                <div class="camera">
                    <video node_ref=camera.video muted=true playsinline=true autoplay=true width="168" height="168"
                        hidden=move || !camera.on.get()></video>
                    <button name="camera" aria-pressed=move || camera.on.get().to_string() on:click=toggle_camera>
                        {move || match camera.on.get() {
                            true => tr(OwnText::CameraStop).into_any(),
                            false => tr(OwnText::CameraStart).into_any(),
                        }}
                    </button>
                    {move || camera.on.get().then(|| view! { <p class="hint">{tr(OwnText::CameraHint)}</p> })}
                </div>
            </div>
            <ol class="drawn-classes">{rows}</ol>
            <button name="add-class" on:click=add_class disabled=move || { classes.with(Vec::len) >= MAX_DRAWN_CLASSES }>
                {tr(OwnText::AddClass)}
            </button>
            <button name="use-drawings" on:click=use_drawings disabled=move || running.get()>{tr(OwnText::UseDrawings)}</button>
            {move || problem.get().map(|p| view! { <p class="drawn-problem" role="alert">{move || p.say(lang.get())}</p> })}
        </div>
    }
}
