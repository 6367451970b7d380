//! Sliding windows (convolutions and pooling) over a feature map: the
//! output-size arithmetic, as PyTorch computes it.

use super::{Shape, ShapeError, error};

/// A square window's side, step and zero padding, the same on both axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Window {
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

impl Window {
    /// Output side of the window over `side` pixels (PyTorch's floor rule),
    /// or why there is none; `axis` names the side for that.
    pub fn output_side(self, side: usize, axis: &str) -> Result<usize, String> {
        let Window {
            kernel,
            stride,
            padding,
        } = self;
        if kernel == 0 || stride == 0 {
            return Err("kernel and stride must be at least 1".to_string());
        }
        let padded = side + 2 * padding;
        if padded < kernel {
            return Err(format!(
                "the {axis} would drop below 1 (a {kernel}×{kernel} window does not fit in {side} pixels{}); use a larger input",
                if padding > 0 {
                    format!(" padded by {padding}")
                } else {
                    String::new()
                }
            ));
        }
        Ok((padded - kernel) / stride + 1)
    }

    /// The window over an `[N, C, H, W]` input: `[N, C', H', W']`, where
    /// `C'` is `out_channels` or else `C`; `path` names the layer in errors.
    pub fn output(
        self,
        input: &[usize],
        path: &str,
        out_channels: Option<usize>,
    ) -> Result<Shape, ShapeError> {
        let [n, c, h, w] = feature_map(input, path)?;
        let oh = self.output_side(h, "height").map_err(|e| error(path, e))?;
        let ow = self.output_side(w, "width").map_err(|e| error(path, e))?;
        Ok(vec![n, out_channels.unwrap_or(c), oh, ow])
    }
}

/// `input` as `[N, C, H, W]`, or an error saying it is not a feature map.
pub(super) fn feature_map(input: &[usize], path: &str) -> Result<[usize; 4], ShapeError> {
    match *input {
        [n, c, h, w] => Ok([n, c, h, w]),
        _ => Err(error(
            path,
            format!("needs a [N, C, H, W] feature map but gets {input:?}; is there a Flatten before it?"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(kernel: usize, stride: usize, padding: usize) -> Window {
        Window {
            kernel,
            stride,
            padding,
        }
    }

    #[test]
    fn the_output_side_is_the_floor_of_padded_side_minus_kernel_over_stride_plus_one() {
        // LeNet's first convolution keeps 28 (5×5, padding 2); its pooling halves it.
        assert_eq!(window(5, 1, 2).output_side(28, "height"), Ok(28));
        assert_eq!(window(2, 2, 0).output_side(28, "height"), Ok(14));
        // AlexNet's first: (224 + 2 - 11) / 4 + 1 = 54 (53.75 floored, plus one).
        assert_eq!(window(11, 4, 1).output_side(224, "height"), Ok(54));
        // An odd side under a stride of 2 drops the last column: (7 - 3) / 2 + 1.
        assert_eq!(window(3, 2, 0).output_side(7, "width"), Ok(3));
        assert_eq!(window(3, 2, 0).output_side(8, "width"), Ok(3));
        // Exactly fitting leaves one pixel.
        assert_eq!(window(5, 1, 0).output_side(5, "height"), Ok(1));
        assert_eq!(window(5, 3, 1).output_side(3, "height"), Ok(1));
        // A 1×1 window with stride 1 keeps the side.
        assert_eq!(window(1, 1, 0).output_side(13, "height"), Ok(13));
    }

    #[test]
    fn a_window_that_does_not_fit_says_which_side_and_by_how_much() {
        assert_eq!(
            window(2, 2, 0).output_side(1, "height"),
            Err(
                "the height would drop below 1 (a 2×2 window does not fit in 1 pixels); use a larger input"
                    .to_string()
            )
        );
        assert_eq!(
            window(11, 4, 2).output_side(6, "width"),
            Err(
                "the width would drop below 1 (a 11×11 window does not fit in 6 pixels padded by 2); use a larger input"
                    .to_string()
            )
        );
        for (kernel, stride) in [(0, 1), (3, 0)] {
            assert_eq!(
                window(kernel, stride, 0).output_side(9, "height"),
                Err("kernel and stride must be at least 1".to_string())
            );
        }
    }

    #[test]
    fn a_window_keeps_batch_and_channels_unless_it_makes_its_own() {
        let conv = window(3, 1, 1);
        assert_eq!(
            conv.output(&[2, 3, 9, 7], "here", Some(16)),
            Ok(vec![2, 16, 9, 7])
        );
        assert_eq!(
            window(3, 2, 0).output(&[2, 3, 9, 7], "here", None),
            Ok(vec![2, 3, 4, 3])
        );
        let error = conv.output(&[2, 12], "row 4 › Conv2d", Some(8)).unwrap_err();
        assert_eq!(error.layer, "row 4 › Conv2d");
        assert!(
            error
                .reason
                .starts_with("needs a [N, C, H, W] feature map but gets [2, 12]")
        );
        let error = window(5, 1, 0).output(&[1, 1, 28, 4], "here", None).unwrap_err();
        assert!(
            error.reason.starts_with("the width would drop below 1"),
            "{}",
            error.reason
        );
    }
}
