//! Sliding windows (convolutions and pooling) over a feature map: the
//! output-size arithmetic, as PyTorch computes it.

use super::{Axis, LayerPath, Shape, ShapeError, ShapeProblem};

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
    pub fn output_side(self, side: usize, axis: Axis) -> Result<usize, ShapeProblem> {
        let Window {
            kernel,
            stride,
            padding,
        } = self;
        if kernel == 0 || stride == 0 {
            return Err(ShapeProblem::ZeroWindow);
        }
        let padded = side + 2 * padding;
        if padded < kernel {
            return Err(ShapeProblem::TooSmall {
                axis,
                kernel,
                side,
                padding,
            });
        }
        Ok((padded - kernel) / stride + 1)
    }

    /// The window over an `[N, C, H, W]` input: `[N, C', H', W']`, where
    /// `C'` is `out_channels` or else `C`; `path` names the layer in errors.
    pub fn output(
        self,
        input: &[usize],
        path: &LayerPath,
        out_channels: Option<usize>,
    ) -> Result<Shape, ShapeError> {
        let [n, c, h, w] = feature_map(input, path)?;
        let oh = self
            .output_side(h, Axis::Height)
            .map_err(|e| ShapeError::new(path, e))?;
        let ow = self
            .output_side(w, Axis::Width)
            .map_err(|e| ShapeError::new(path, e))?;
        Ok(vec![n, out_channels.unwrap_or(c), oh, ow])
    }
}

/// `input` as `[N, C, H, W]`, or an error saying it is not a feature map.
pub(super) fn feature_map(input: &[usize], path: &LayerPath) -> Result<[usize; 4], ShapeError> {
    match *input {
        [n, c, h, w] => Ok([n, c, h, w]),
        _ => Err(ShapeError::new(
            path,
            ShapeProblem::NotFeatureMap {
                input: input.to_vec(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::Step;
    use crate::i18n::{Lang, Say, check_message};

    /// The side, or why there is none as the command line says it.
    fn side(window: Window, side: usize, axis: Axis) -> Result<usize, String> {
        window.output_side(side, axis).map_err(|e| e.to_string())
    }

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
        assert_eq!(side(window(5, 1, 2), 28, Axis::Height), Ok(28));
        assert_eq!(side(window(2, 2, 0), 28, Axis::Height), Ok(14));
        // AlexNet's first: (224 + 2 - 11) / 4 + 1 = 54 (53.75 floored, plus one).
        assert_eq!(side(window(11, 4, 1), 224, Axis::Height), Ok(54));
        // An odd side under a stride of 2 drops the last column: (7 - 3) / 2 + 1.
        assert_eq!(side(window(3, 2, 0), 7, Axis::Width), Ok(3));
        assert_eq!(side(window(3, 2, 0), 8, Axis::Width), Ok(3));
        // Exactly fitting leaves one pixel.
        assert_eq!(side(window(5, 1, 0), 5, Axis::Height), Ok(1));
        assert_eq!(side(window(5, 3, 1), 3, Axis::Height), Ok(1));
        // A 1×1 window with stride 1 keeps the side.
        assert_eq!(side(window(1, 1, 0), 13, Axis::Height), Ok(13));
    }

    #[test]
    fn a_window_that_does_not_fit_says_which_side_and_by_how_much() {
        assert_eq!(
            side(window(2, 2, 0), 1, Axis::Height),
            Err(
                "the height would drop below 1 (a 2×2 window does not fit in 1 pixels); use a larger input"
                    .to_string()
            )
        );
        assert_eq!(
            side(window(11, 4, 2), 6, Axis::Width),
            Err(
                "the width would drop below 1 (a 11×11 window does not fit in 6 pixels padded by 2); use a larger input"
                    .to_string()
            )
        );
        for (kernel, stride) in [(0, 1), (3, 0)] {
            assert_eq!(
                side(window(kernel, stride, 0), 9, Axis::Height),
                Err("kernel and stride must be at least 1".to_string())
            );
        }
    }

    #[test]
    fn a_window_keeps_batch_and_channels_unless_it_makes_its_own() {
        let conv = window(3, 1, 1);
        let here = LayerPath::net();
        assert_eq!(conv.output(&[2, 3, 9, 7], &here, Some(16)), Ok(vec![2, 16, 9, 7]));
        assert_eq!(
            window(3, 2, 0).output(&[2, 3, 9, 7], &here, None),
            Ok(vec![2, 3, 4, 3])
        );
        let row_4 = LayerPath::row(4).then(Step::Layer {
            name: "Conv2d".to_string(),
            settings: String::new(),
        });
        let error = conv.output(&[2, 12], &row_4, Some(8)).unwrap_err();
        assert_eq!(error.layer.to_string(), "row 4 › Conv2d");
        assert!(
            error
                .reason
                .to_string()
                .starts_with("needs a [N, C, H, W] feature map but gets [2, 12]")
        );
        let error = window(5, 1, 0).output(&[1, 1, 28, 4], &here, None).unwrap_err();
        assert!(
            error
                .reason
                .to_string()
                .starts_with("the width would drop below 1"),
            "{}",
            error.reason
        );
    }

    #[test]
    fn a_window_that_does_not_fit_says_so_in_both_languages() {
        let error = window(11, 4, 2).output_side(6, Axis::Width).unwrap_err();
        check_message(&error, &["11×11", "6", "2"]);
        assert_eq!(
            error.say(Lang::Zh),
            "宽度将小于 1（6 个像素每边填充 2 后仍放不下 11×11 的窗口）；请使用更大的输入"
        );
        let at = LayerPath::row(6).then(Step::Layer {
            name: "AvgPool2d".to_string(),
            settings: "k2, s2".to_string(),
        });
        let error = window(2, 2, 0).output(&[1, 16, 1, 1], &at, None).unwrap_err();
        check_message(&error, &["AvgPool2d (k2, s2)", "2×2", "1"]);
        assert_eq!(
            error.to_string(),
            "row 6 › AvgPool2d (k2, s2): the height would drop below 1 (a 2×2 window does not fit in 1 pixels); use a larger input"
        );
        assert_eq!(
            error.say(Lang::Zh),
            "第 6 行 › AvgPool2d (k2, s2)：高度将小于 1（1 个像素放不下 2×2 的窗口）；请使用更大的输入"
        );
    }
}
