//! The book's first convolution experiments, runnable: the small cases of
//! d2l's chapter on convolutional networks (6.2–6.5, 图像卷积 to 汇聚层),
//! with the book's own inputs, computing what the book prints. Plain
//! arithmetic on small matrices (no Burn, no web), so that the page and
//! the tests compute the same values.
//!
//! Where the book draws values at random (the kernel it learns from, the
//! 1×1 convolution's input), the lab draws them from a fixed seed and says
//! so.

mod channels;
mod conv;
mod learn;
mod matrix;
mod pool;

pub use channels::*;
pub use conv::*;
pub use learn::*;
pub use matrix::*;
pub use pool::*;

/// The lab's experiments, in the book's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Experiment {
    /// 6.2.1: `corr2d(X, K)`.
    CrossCorrelation,
    /// 6.2.3: the kernel `[[1, -1]]` finds an image's vertical edges.
    EdgeDetection,
    /// 6.2.4: that kernel learnt back from the image and its edges.
    LearningKernel,
    /// 6.3: output shapes with padding and stride.
    PaddingStride,
    /// 6.4.1: several input channels.
    MultiInput,
    /// 6.4.2: several output channels.
    MultiOutput,
    /// 6.4.3: the 1×1 convolution as a matrix product.
    OneByOne,
    /// 6.5.1: max and average pooling.
    Pooling,
    /// 6.5.2: pooling with padding and stride.
    PoolingPaddingStride,
    /// 6.5.3: pooling several channels.
    PoolingChannels,
}

impl Experiment {
    pub const ALL: [Experiment; 10] = [
        Experiment::CrossCorrelation,
        Experiment::EdgeDetection,
        Experiment::LearningKernel,
        Experiment::PaddingStride,
        Experiment::MultiInput,
        Experiment::MultiOutput,
        Experiment::OneByOne,
        Experiment::Pooling,
        Experiment::PoolingPaddingStride,
        Experiment::PoolingChannels,
    ];

    /// Its name on the page (`data-experiment`), after the book's
    /// function where it has one.
    pub fn id(self) -> &'static str {
        match self {
            Experiment::CrossCorrelation => "corr2d",
            Experiment::EdgeDetection => "edges",
            Experiment::LearningKernel => "learn-kernel",
            Experiment::PaddingStride => "padding-stride",
            Experiment::MultiInput => "corr2d-multi-in",
            Experiment::MultiOutput => "corr2d-multi-in-out",
            Experiment::OneByOne => "conv-1x1",
            Experiment::Pooling => "pool2d",
            Experiment::PoolingPaddingStride => "pool-padding-stride",
            Experiment::PoolingChannels => "pool-channels",
        }
    }

    /// The book's section (the same number in the English and the Chinese
    /// editions).
    pub fn section(self) -> &'static str {
        match self {
            Experiment::CrossCorrelation => "6.2.1",
            Experiment::EdgeDetection => "6.2.3",
            Experiment::LearningKernel => "6.2.4",
            Experiment::PaddingStride => "6.3",
            Experiment::MultiInput => "6.4.1",
            Experiment::MultiOutput => "6.4.2",
            Experiment::OneByOne => "6.4.3",
            Experiment::Pooling => "6.5.1",
            Experiment::PoolingPaddingStride => "6.5.2",
            Experiment::PoolingChannels => "6.5.3",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_experiments_follow_the_books_sections() {
        let sections: Vec<&str> = Experiment::ALL.iter().map(|e| e.section()).collect();
        let mut sorted = sections.clone();
        sorted.sort();
        assert_eq!(sections, sorted, "in the book's order");
        let ids: std::collections::HashSet<&str> = Experiment::ALL.iter().map(|e| e.id()).collect();
        assert_eq!(ids.len(), Experiment::ALL.len(), "one name each");
    }
}
