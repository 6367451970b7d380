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
    assert!(picture.note().unwrap().contains("inverted"));
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
