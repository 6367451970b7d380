//! The camera as a source of a drawn class's examples, where the browser
//! allows it (Teachable Machine's way): the page asks for the camera, shows
//! it, and each "from the camera" takes the frame of the moment, made into
//! a 28×28 grey picture as a picture of one's own is (`picture::from_rgba`),
//! beside the drawings. The stream stops when the panel goes or the reader
//! turns it off. No media features of web-sys beyond the video element:
//! `getUserMedia` and the tracks are reached through `Reflect`.

use js_sys::{Function, Object, Reflect};
use leptos::html::Video;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::page_own::CameraProblem;
use crate::ui::canvas::read_canvas;

/// The side the frame's middle square is drawn at before it is read.
const GRAB_SIDE: u32 = 112;

/// The camera's stream while it is on.
#[derive(Clone, Copy)]
pub struct Camera {
    stream: StoredValue<Option<JsValue>, LocalStorage>,
    pub on: RwSignal<bool>,
    pub video: NodeRef<Video>,
}

impl Camera {
    /// The camera, off; its stream stops when the view that made it goes.
    pub fn off() -> Camera {
        let camera = Camera {
            stream: StoredValue::new_local(None),
            on: RwSignal::new(false),
            video: NodeRef::new(),
        };
        on_cleanup(move || camera.stop());
        camera
    }

    /// Asks the browser for the camera and shows it.
    pub async fn start(self) -> Result<(), CameraProblem> {
        if self.on.get_untracked() {
            return Ok(());
        }
        let stream = user_media().await?;
        let video = self.video.get_untracked().ok_or(CameraProblem::NoVideo)?;
        Reflect::set(&video, &"srcObject".into(), &stream).map_err(detail)?;
        let _ = video.play();
        self.stream.set_value(Some(stream));
        self.on.set(true);
        Ok(())
    }

    /// Ends every track of the stream: the camera's light goes out.
    pub fn stop(self) {
        let Some(Some(stream)) = self.stream.try_update_value(Option::take) else {
            return;
        };
        let tracks = Reflect::get(&stream, &"getTracks".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .and_then(|f| f.call0(&stream).ok());
        if let Some(tracks) = tracks {
            for track in js_sys::Array::from(&tracks).iter() {
                if let Some(stop) = Reflect::get(&track, &"stop".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<Function>().ok())
                {
                    let _ = stop.call0(&track);
                }
            }
        }
        if let Some(video) = self.video.get_untracked() {
            let _ = Reflect::set(&video, &"srcObject".into(), &JsValue::NULL);
        }
        let _ = self.on.try_set(false);
    }

    /// The frame of the moment as a 28×28 grey picture's levels.
    pub fn grab(self) -> Result<Vec<u8>, CameraProblem> {
        let video = self.video.get_untracked().ok_or(CameraProblem::NoVideo)?;
        let (w, h) = (video.video_width(), video.video_height());
        if !self.on.get_untracked() || w == 0 || h == 0 {
            return Err(CameraProblem::NotReady);
        }
        // The middle square: the picture is square, the frame seldom is.
        let side = w.min(h) as f64;
        let (sx, sy) = ((w as f64 - side) / 2.0, (h as f64 - side) / 2.0);
        let canvas: web_sys::HtmlCanvasElement = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .ok_or(CameraProblem::NoVideo)?
            .unchecked_into();
        canvas.set_width(GRAB_SIDE);
        canvas.set_height(GRAB_SIDE);
        let context: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or(CameraProblem::NoVideo)?
            .unchecked_into();
        let g = GRAB_SIDE as f64;
        context
            .draw_image_with_html_video_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                &video, sx, sy, side, side, 0.0, 0.0, g, g,
            )
            .map_err(detail)?;
        let (w, h, rgba) = read_canvas(&canvas).ok_or(CameraProblem::NotReady)?;
        crate::picture::from_rgba(w, h, &rgba)
            .map(|picture| picture.pixels)
            .map_err(CameraProblem::Picture)
    }
}

fn detail(error: JsValue) -> CameraProblem {
    CameraProblem::Browser {
        detail: format!("{error:?}"),
    }
}

/// `navigator.mediaDevices.getUserMedia({video: true})`, its refusals named.
async fn user_media() -> Result<JsValue, CameraProblem> {
    let navigator = web_sys::window().ok_or(CameraProblem::NoCamera)?.navigator();
    let devices = Reflect::get(&navigator, &"mediaDevices".into()).map_err(detail)?;
    // Only a secure page (https, localhost) has media devices.
    let ask = Reflect::get(&devices, &"getUserMedia".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or(CameraProblem::NoCamera)?;
    let constraints = Object::new();
    let _ = Reflect::set(&constraints, &"video".into(), &JsValue::TRUE);
    let _ = Reflect::set(&constraints, &"audio".into(), &JsValue::FALSE);
    let promise: js_sys::Promise = ask
        .call1(&devices, &constraints)
        .map_err(detail)?
        .dyn_into()
        .map_err(detail)?;
    JsFuture::from(promise).await.map_err(|error| {
        let name = Reflect::get(&error, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" | "SecurityError" => CameraProblem::Refused,
            "NotFoundError" | "OverconstrainedError" => CameraProblem::NoCamera,
            "NotReadableError" | "AbortError" => CameraProblem::InUse,
            _ => detail(error),
        }
    })
}
