//! DenseNet (d2l §7.7) as the book writes it: `conv_block`, `DenseBlock`,
//! `transition_block`, b1 as ResNet's, and the loop that strings the dense
//! blocks together, with the form's b1 width, growth rate, convolutions per
//! dense block and the transition's divisor.

use crate::arch::DenseNetConfig;

const BLOCKS: &str = "\
def conv_block(input_channels, num_channels):
    return nn.Sequential(
        nn.BatchNorm2d(input_channels), nn.ReLU(),
        nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1))


class DenseBlock(nn.Module):
    def __init__(self, num_convs, input_channels, num_channels):
        super(DenseBlock, self).__init__()
        layer = []
        for i in range(num_convs):
            layer.append(conv_block(
                num_channels * i + input_channels, num_channels))
        self.net = nn.Sequential(*layer)

    def forward(self, X):
        for blk in self.net:
            Y = blk(X)
            # Concatenate the input and output of each block on the channel dimension
            X = torch.cat((X, Y), dim=1)
        return X


def transition_block(input_channels, num_channels):
    return nn.Sequential(
        nn.BatchNorm2d(input_channels), nn.ReLU(),
        nn.Conv2d(input_channels, num_channels, kernel_size=1),
        nn.AvgPool2d(kernel_size=2, stride=2))
";

pub fn code(config: &DenseNetConfig) -> String {
    let c = config.num_channels;
    let divisor = config.transition_divisor.max(1);
    let transition = match divisor {
        2 => "halves the number of channels".to_string(),
        d => format!("divides the number of channels by {d}"),
    };
    let convs: Vec<String> = config
        .num_convs_in_dense_blocks
        .iter()
        .map(usize::to_string)
        .collect();
    format!(
        "{BLOCKS}

b1 = nn.Sequential(
    nn.Conv2d(1, {c}, kernel_size=7, stride=2, padding=3),
    nn.BatchNorm2d({c}), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

# `num_channels`: the current number of channels
num_channels, growth_rate = {c}, {growth}
num_convs_in_dense_blocks = [{convs}]
blks = []
for i, num_convs in enumerate(num_convs_in_dense_blocks):
    blks.append(DenseBlock(num_convs, num_channels, growth_rate))
    # This is the number of output channels in the previous dense block
    num_channels += num_convs * growth_rate
    # A transition layer that {transition} is added between
    # the dense blocks
    if i != len(num_convs_in_dense_blocks) - 1:
        blks.append(transition_block(num_channels, num_channels // {divisor}))
        num_channels = num_channels // {divisor}

net = nn.Sequential(
    b1, *blks,
    nn.BatchNorm2d(num_channels), nn.ReLU(),
    nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(),
    nn.Linear(num_channels, 10))",
        growth = config.growth_rate,
        convs = convs.join(", "),
    )
}
