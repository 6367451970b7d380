//! A picture of the user's own (a photo, a drawing) made into a
//! Fashion-MNIST image: 28×28 grey levels, a light object on a dark
//! background, the object cropped and scaled to fill the frame and
//! centred, as the data set's images were made from product photos.

use serde::{Deserialize, Serialize};

use crate::data::SIDE;

pub use crate::i18n::data::PictureNote;

/// The largest picture taken (the page scales larger ones down first).
pub const MAX_PIXELS: usize = 4096 * 4096;
/// A pixel this bright (after inversion) is part of the object.
const INK: f32 = 0.15;

/// A picture ready for the net, and what was done to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    /// 28×28 grey levels, row-major.
    pub pixels: Vec<u8>,
    /// The picture was dark on light and was inverted.
    pub inverted: bool,
    /// Transparent pixels were taken as the (dark) background.
    pub transparent: bool,
}

/// Why a picture cannot be made into an image (in both languages:
/// `crate::i18n::data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum PictureError {
    NoPixels,
    /// More than `MAX_PIXELS`.
    TooLarge {
        width: usize,
        height: usize,
    },
    /// RGBA bytes that are not four per pixel.
    Malformed {
        width: usize,
        height: usize,
        expected: usize,
        found: usize,
    },
    /// Nothing stands out from the background.
    Empty,
}

impl Picture {
    /// What was done to the picture, for the page to say.
    pub fn note(&self) -> Option<PictureNote> {
        match (self.transparent, self.inverted) {
            (true, true) => Some(PictureNote::TransparentInverted),
            (true, false) => Some(PictureNote::Transparent),
            (false, true) => Some(PictureNote::Inverted),
            (false, false) => None,
        }
    }
}

/// The width and height a PNG, JPEG, GIF, BMP or WebP file says it has,
/// read from its header without decoding it: a small file can hold a huge
/// picture, whose decoded pixels would take the tab's memory. `None` for
/// other formats or a header too short to say.
pub fn dimensions(file: &[u8]) -> Option<(u32, u32)> {
    let u16_le = |at: usize| Some(u16::from_le_bytes(file.get(at..at + 2)?.try_into().ok()?) as u32);
    let u16_be = |at: usize| Some(u16::from_be_bytes(file.get(at..at + 2)?.try_into().ok()?) as u32);
    let u24_le = |at: usize| {
        let b = file.get(at..at + 3)?;
        Some(b[0] as u32 | (b[1] as u32) << 8 | (b[2] as u32) << 16)
    };
    let u32_be = |at: usize| Some(u32::from_be_bytes(file.get(at..at + 4)?.try_into().ok()?));
    let i32_le = |at: usize| Some(i32::from_le_bytes(file.get(at..at + 4)?.try_into().ok()?).unsigned_abs());
    if file.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((u32_be(16)?, u32_be(20)?));
    }
    if file.starts_with(b"GIF87a") || file.starts_with(b"GIF89a") {
        return Some((u16_le(6)?, u16_le(8)?));
    }
    if file.starts_with(b"BM") {
        return Some((i32_le(18)?, i32_le(22)?));
    }
    if file.starts_with(b"RIFF") && file.get(8..12) == Some(b"WEBP") {
        return match file.get(12..16)? {
            b"VP8 " => Some((u16_le(26)? & 0x3fff, u16_le(28)? & 0x3fff)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(file.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            b"VP8X" => Some((u24_le(24)? + 1, u24_le(27)? + 1)),
            _ => None,
        };
    }
    if file.starts_with(&[0xff, 0xd8]) {
        // JPEG: the frame header (SOFn) holds the size; skip the segments before it.
        let mut at = 2;
        while at + 4 <= file.len() {
            if file[at] != 0xff {
                return None;
            }
            let marker = file[at + 1];
            if marker == 0xff {
                at += 1;
                continue;
            }
            let length = u16_be(at + 2)? as usize;
            let frame = (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker);
            if frame {
                return Some((u16_be(at + 7)?, u16_be(at + 5)?));
            }
            at += 2 + length;
        }
    }
    None
}

/// Makes a picture of `width`×`height` RGBA bytes (as a canvas gives them)
/// into a Fashion-MNIST image.
pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Picture, PictureError> {
    let n = width * height;
    if n == 0 {
        return Err(PictureError::NoPixels);
    }
    if n > MAX_PIXELS {
        return Err(PictureError::TooLarge { width, height });
    }
    if rgba.len() != n * 4 {
        return Err(PictureError::Malformed {
            width,
            height,
            expected: n * 4,
            found: rgba.len(),
        });
    }
    let luma: Vec<f32> = rgba
        .chunks_exact(4)
        .map(|p| (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) / 255.0)
        .collect();
    let alpha: Vec<f32> = rgba.chunks_exact(4).map(|p| p[3] as f32 / 255.0).collect();
    let see_through = alpha.iter().filter(|&&a| a < 0.5).count();
    let transparent = see_through * 20 >= n;
    let (mut ink, inverted): (Vec<f32>, bool) = if transparent {
        // The object is what is opaque; it becomes light whatever its colour.
        let opaque: Vec<f32> = (0..n).filter(|&i| alpha[i] >= 0.5).map(|i| luma[i]).collect();
        if opaque.is_empty() {
            return Err(PictureError::Empty);
        }
        let dark = opaque.iter().sum::<f32>() / (opaque.len() as f32) < 0.5;
        let ink = (0..n)
            .map(|i| alpha[i] * if dark { 1.0 - luma[i] } else { luma[i] })
            .collect();
        (ink, dark)
    } else {
        let background = border_mean(&luma, width, height);
        let inverted = background > 0.5;
        let ink = luma.iter().map(|&l| if inverted { 1.0 - l } else { l }).collect();
        (ink, inverted)
    };
    // A grey background becomes black, as the data set's is.
    let background = border_mean(&ink, width, height).min(0.9);
    for v in &mut ink {
        *v = ((*v - background) / (1.0 - background)).clamp(0.0, 1.0);
    }
    let (x0, y0, x1, y1) = bounding_box(&ink, width, height).ok_or(PictureError::Empty)?;
    Ok(Picture {
        pixels: fit(&ink, width, (x0, y0, x1, y1)),
        inverted,
        transparent,
    })
}

/// The mean of the pixels along the picture's edges (a frame 1/20 of the
/// shorter side thick): its background.
fn border_mean(values: &[f32], width: usize, height: usize) -> f32 {
    let frame = (width.min(height) / 20).max(1);
    let (mut sum, mut count) = (0.0f64, 0usize);
    for y in 0..height {
        for x in 0..width {
            let edge = x < frame || y < frame || x + frame >= width || y + frame >= height;
            if edge {
                sum += values[y * width + x] as f64;
                count += 1;
            }
        }
    }
    (sum / count.max(1) as f64) as f32
}

/// The smallest box `(x0, y0, x1, y1)` (ends excluded) holding every pixel
/// of the object, or `None` when there is none.
fn bounding_box(ink: &[f32], width: usize, height: usize) -> Option<(usize, usize, usize, usize)> {
    let mut bounds: Option<(usize, usize, usize, usize)> = None;
    for y in 0..height {
        for x in 0..width {
            if ink[y * width + x] >= INK {
                let (x0, y0, x1, y1) = bounds.unwrap_or((x, y, x + 1, y + 1));
                bounds = Some((x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1)));
            }
        }
    }
    bounds
}

/// The box of `ink` scaled so its longer side fills 28 pixels, centred:
/// each output pixel the mean of the picture's pixels under it (the
/// nearest one when it is smaller than a pixel of the picture).
fn fit(ink: &[f32], width: usize, (x0, y0, x1, y1): (usize, usize, usize, usize)) -> Vec<u8> {
    let (w, h) = (x1 - x0, y1 - y0);
    let scale = SIDE as f64 / w.max(h) as f64;
    let (out_w, out_h) = (
        ((w as f64 * scale).round() as usize).clamp(1, SIDE),
        ((h as f64 * scale).round() as usize).clamp(1, SIDE),
    );
    let (left, top) = ((SIDE - out_w) / 2, (SIDE - out_h) / 2);
    let mut pixels = vec![0u8; SIDE * SIDE];
    // The picture's span under output pixel `o` along one axis.
    let span = |o: usize, len: usize, out: usize| {
        let start = (o as f64 * len as f64 / out as f64).floor() as usize;
        let end = (((o + 1) as f64 * len as f64 / out as f64).ceil() as usize).clamp(start + 1, len);
        start.min(len - 1)..end
    };
    for oy in 0..out_h {
        let ys = span(oy, h, out_h);
        for ox in 0..out_w {
            let xs = span(ox, w, out_w);
            let mut sum = 0.0f32;
            for y in ys.clone() {
                for x in xs.clone() {
                    sum += ink[(y0 + y) * width + x0 + x];
                }
            }
            let mean = sum / (ys.len() * xs.len()) as f32;
            pixels[(top + oy) * SIDE + left + ox] = (mean * 255.0).round() as u8;
        }
    }
    pixels
}

/// `levels` (`width`×`height` grey, row-major) as a PNG file: 8-bit grey,
/// its image data in stored (uncompressed) deflate blocks. Drawn classes
/// travel as such files, so they are read as any folder of images is.
pub fn png_grey(width: usize, height: usize, levels: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(height * (width + 1));
    for row in levels.chunks(width.max(1)).take(height) {
        raw.push(0); // no filter
        raw.extend_from_slice(row);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(0xffff).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(width as u32).to_be_bytes());
    header.extend_from_slice(&(height as u32).to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    for (kind, data) in [(b"IHDR", header.as_slice()), (b"IDAT", &zlib), (b"IEND", &[])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    png
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}
