//! Every convolution of a net and the input it sees: the shapes our
//! kernels run on, found by the same walk that makes the table.

use std::collections::BTreeSet;

use super::walk::Walk;
use super::{Shape, ShapeError};
use crate::arch::{Arch, INPUT_CHANNELS, Layer, NetConfig};

/// One convolution of a net and the input it sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvSite {
    /// `[N, C, H, W]`.
    pub input: Shape,
    pub out_channels: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

/// A convolution by its sizes, batch aside. Ordered field by field, in
/// this order, so that a set of them reads smallest input first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConvCase {
    pub in_channels: usize,
    pub out_channels: usize,
    pub height: usize,
    pub width: usize,
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
}

impl ConvSite {
    pub fn case(&self) -> ConvCase {
        let [_, in_channels, height, width] = self.input[..] else {
            unreachable!("a convolution's input is [N, C, H, W]")
        };
        ConvCase {
            in_channels,
            out_channels: self.out_channels,
            height,
            width,
            kernel: self.kernel,
            stride: self.stride,
            padding: self.padding,
        }
    }
}

/// Every distinct convolution of the eight nets at the input size each
/// trains at (VGG at the book's width ratio, as it trains): the shapes our
/// kernels are tested on.
pub fn book_convolutions() -> BTreeSet<ConvCase> {
    let mut cases = BTreeSet::new();
    for arch in Arch::ALL {
        let side = arch.book_settings().resize;
        let layers = NetConfig::default_for(arch).layers();
        let sites =
            convolutions(&layers, &[1, INPUT_CHANNELS, side, side]).expect("the book's nets fit their sizes");
        cases.extend(sites.iter().map(ConvSite::case));
    }
    cases
}

/// Every convolution in `layers` on `input`, blocks walked in order.
pub fn convolutions(layers: &[Layer], input: &[usize]) -> Result<Vec<ConvSite>, ShapeError> {
    let mut sites = Vec::new();
    let mut walk = Walk::new(|layer: &Layer, input: &[usize]| {
        if let &Layer::Conv2d {
            out_channels,
            kernel,
            stride,
            padding,
        } = layer
        {
            sites.push(ConvSite {
                input: input.to_vec(),
                out_channels,
                kernel,
                stride,
                padding,
            });
        }
    });
    walk.sequence(layers, input, &super::LayerPath::net())?;
    Ok(sites)
}
