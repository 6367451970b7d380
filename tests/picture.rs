//! A picture of the user's own becomes a Fashion-MNIST image: light on
//! dark, cropped, scaled to fill 28×28 and centred; bad pictures get a
//! typed error, never a panic.

use cnn_playground::data::SIDE;
use cnn_playground::picture::{Picture, PictureError, from_rgba};

/// A `w`×`h` RGBA picture of `background` with a `fill` rectangle at
/// `(x0, y0)`–`(x1, y1)` (ends excluded).
fn rectangle(
    w: usize,
    h: usize,
    background: [u8; 4],
    fill: [u8; 4],
    (x0, y0, x1, y1): (usize, usize, usize, usize),
) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let inside = (x0..x1).contains(&x) && (y0..y1).contains(&y);
            rgba.extend_from_slice(if inside { &fill } else { &background });
        }
    }
    rgba
}

fn lit(picture: &Picture) -> Vec<(usize, usize)> {
    (0..SIDE * SIDE)
        .filter(|&i| picture.pixels[i] > 128)
        .map(|i| (i % SIDE, i / SIDE))
        .collect()
}

const BLACK: [u8; 4] = [0, 0, 0, 255];
const WHITE: [u8; 4] = [255, 255, 255, 255];

#[test]
fn a_light_object_on_dark_is_cropped_scaled_and_centred() {
    // A tall white bar (20×40) off-centre in a 100×100 black picture.
    let rgba = rectangle(100, 100, BLACK, WHITE, (10, 5, 30, 45));
    let picture = from_rgba(100, 100, &rgba).unwrap();
    assert_eq!(picture.pixels.len(), SIDE * SIDE);
    assert!(!picture.inverted && !picture.transparent);
    assert_eq!(picture.note(), None);
    let lit = lit(&picture);
    let (xs, ys): (Vec<_>, Vec<_>) = lit.iter().copied().unzip();
    // Its height fills the frame, its width is half of it, centred.
    assert_eq!((*ys.iter().min().unwrap(), *ys.iter().max().unwrap()), (0, 27));
    assert_eq!((*xs.iter().min().unwrap(), *xs.iter().max().unwrap()), (7, 20));
}

#[test]
fn dark_on_light_is_inverted_and_says_so() {
    let rgba = rectangle(60, 60, WHITE, BLACK, (20, 20, 40, 40));
    let picture = from_rgba(60, 60, &rgba).unwrap();
    assert!(picture.inverted);
    assert!(picture.note().unwrap().to_string().contains("inverted"));
    assert_eq!(lit(&picture).len(), SIDE * SIDE, "the square fills the frame");
    assert_eq!(from_rgba(60, 60, &rgba).unwrap(), picture);
}

#[test]
fn transparent_background_counts_as_dark_whatever_the_object_colour() {
    let clear = [255, 255, 255, 0];
    for fill in [BLACK, WHITE, [200, 30, 30, 255]] {
        let rgba = rectangle(40, 40, clear, fill, (15, 10, 25, 30));
        let picture = from_rgba(40, 40, &rgba).unwrap();
        assert!(picture.transparent, "{fill:?}");
        assert!(!lit(&picture).is_empty(), "{fill:?}: the object is light");
        assert_eq!(picture.pixels[0], 0, "{fill:?}: the background is dark");
    }
}

#[test]
fn a_small_drawing_is_scaled_up_and_a_grey_background_made_black() {
    let grey = [90, 90, 90, 255];
    let rgba = rectangle(200, 200, grey, WHITE, (95, 60, 105, 140));
    let picture = from_rgba(200, 200, &rgba).unwrap();
    assert_eq!(picture.pixels[0], 0);
    let lit = lit(&picture);
    assert!(lit.iter().any(|&(_, y)| y == 0) && lit.iter().any(|&(_, y)| y == 27));
}

#[test]
fn bad_pictures_get_a_message() {
    assert_eq!(from_rgba(0, 10, &[]), Err(PictureError::NoPixels));
    assert!(matches!(
        from_rgba(2, 2, &[0; 15]),
        Err(PictureError::Malformed { .. })
    ));
    assert!(matches!(
        from_rgba(5000, 5000, &[]),
        Err(PictureError::TooLarge { .. })
    ));
    let blank = rectangle(50, 50, BLACK, BLACK, (0, 0, 0, 0));
    assert_eq!(from_rgba(50, 50, &blank), Err(PictureError::Empty));
    let white = rectangle(50, 50, WHITE, WHITE, (0, 0, 0, 0));
    assert_eq!(from_rgba(50, 50, &white), Err(PictureError::Empty));
    let clear = vec![0u8; 50 * 50 * 4];
    assert_eq!(from_rgba(50, 50, &clear), Err(PictureError::Empty));
    // One-pixel pictures of any kind end in a picture or a message.
    for value in [0u8, 128, 255] {
        let _ = from_rgba(1, 1, &[value, value, value, value]);
    }
}

#[test]
fn a_files_header_says_its_size_before_decoding() {
    use cnn_playground::picture::dimensions;
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&10_000u32.to_be_bytes());
    png.extend_from_slice(&7_000u32.to_be_bytes());
    assert_eq!(dimensions(&png), Some((10_000, 7_000)));
    let gif = [b"GIF89a".as_slice(), &640u16.to_le_bytes(), &480u16.to_le_bytes()].concat();
    assert_eq!(dimensions(&gif), Some((640, 480)));
    let mut bmp = vec![0u8; 26];
    bmp[..2].copy_from_slice(b"BM");
    bmp[18..22].copy_from_slice(&300i32.to_le_bytes());
    bmp[22..26].copy_from_slice(&(-200i32).to_le_bytes()); // top-down rows
    assert_eq!(dimensions(&bmp), Some((300, 200)));
    // JPEG: an APP0 segment, then the frame header (SOF0): height, width.
    let jpeg = [
        &[0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0][..],
        &[0xff, 0xc0, 0, 11, 8],
        &1080u16.to_be_bytes(),
        &1920u16.to_be_bytes(),
        &[3],
    ]
    .concat();
    assert_eq!(dimensions(&jpeg), Some((1920, 1080)));
    let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
    webp.resize(30, 0);
    webp[24..27].copy_from_slice(&[0x3f, 0x1f, 0]); // 8000 - 1
    webp[27..30].copy_from_slice(&[0xcf, 0x07, 0]); // 2000 - 1
    assert_eq!(dimensions(&webp), Some((8000, 2000)));
    // Too short, or another format: unknown, never a panic.
    for bytes in [&png[..12], b"GIF89a", b"BM", &jpeg[..6], b"hello", &[]] {
        assert_eq!(dimensions(bytes), None, "{bytes:?}");
    }
    for len in 0..jpeg.len() {
        let _ = dimensions(&jpeg[..len]);
    }
}
