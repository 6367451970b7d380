//! ResNet (d2l §7.6) as the book writes it: the `Residual` class,
//! `resnet_block`, b1 to b5 and the net, with the form's stages, b1's
//! width, and batch norm; without the shortcut, each block is a
//! `plain_block`: the same layers in an `nn.Sequential`, nothing added back.

use super::NetCode;
use crate::arch::ResNetConfig;

/// The book's `Residual`.
const RESIDUAL: &str = "\
class Residual(nn.Module):
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels,
                               kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels,
                               kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels,
                                   kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)
";

/// The book's `Residual` without its two `nn.BatchNorm2d`.
const RESIDUAL_WITHOUT_BN: &str = "\
class Residual(nn.Module):
    \"\"\"The book's Residual without batch norm.\"\"\"
    def __init__(self, input_channels, num_channels, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels,
                               kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels,
                               kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels,
                                   kernel_size=1, stride=strides)
        else:
            self.conv3 = None

    def forward(self, X):
        Y = F.relu(self.conv1(X))
        Y = self.conv2(Y)
        if self.conv3:
            X = self.conv3(X)
        Y += X
        return F.relu(Y)
";

/// A residual block without its shortcut, with or without batch norm.
fn plain_block(batch_norm: bool) -> String {
    let after_conv = match batch_norm {
        true => "nn.BatchNorm2d(num_channels), nn.ReLU()",
        false => "nn.ReLU()",
    };
    format!(
        "def plain_block(input_channels, num_channels, strides=1):
    \"\"\"A Residual without its shortcut: the same layers, nothing added back.\"\"\"
    return nn.Sequential(
        nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides),
        {after_conv},
        nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1),
        {after_conv})
"
    )
}

/// The book's `resnet_block`, building `block`s (`Residual` or
/// `plain_block`); `widens` adds the branch an edited first stage that
/// changes b1's width needs.
fn resnet_block(block: &str, shortcut: bool, widens: bool) -> String {
    let (first, widened) = match shortcut {
        true => (
            format!("{block}(input_channels, num_channels, use_1x1conv=True, strides=2)"),
            format!("{block}(input_channels, num_channels, use_1x1conv=True)"),
        ),
        false => (
            format!("{block}(input_channels, num_channels, strides=2)"),
            format!("{block}(input_channels, num_channels)"),
        ),
    };
    let widening = match widens {
        true => format!(
            "
        elif i == 0 and input_channels != num_channels:
            # Not in the book, whose b2 keeps b1's 64 channels: a first stage
            # that changes the width needs a 1x1 shortcut too.
            blk.append({widened})"
        ),
        false => String::new(),
    };
    format!(
        "def resnet_block(input_channels, num_channels, num_residuals, first_block=False):
    blk = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.append({first}){widening}
        else:
            blk.append({block}(num_channels, num_channels))
    return blk
"
    )
}

pub fn code(config: &ResNetConfig) -> NetCode {
    let c = config.b1_channels;
    let block = match config.shortcut {
        true => "Residual",
        false => "plain_block",
    };
    let class = match (config.shortcut, config.batch_norm) {
        (true, true) => RESIDUAL.to_string(),
        (true, false) => RESIDUAL_WITHOUT_BN.to_string(),
        (false, batch_norm) => plain_block(batch_norm),
    };
    let widens = config.stages.first().is_some_and(|&(channels, _)| channels != c);
    let bn = if config.batch_norm {
        format!(" nn.BatchNorm2d({c}),")
    } else {
        String::new()
    };
    let b1 = format!(
        "b1 = nn.Sequential(nn.Conv2d(1, {c}, kernel_size=7, stride=2, padding=3),{bn} nn.ReLU(),
                   nn.MaxPool2d(kernel_size=3, stride=2, padding=1))"
    );
    let mut stages = vec![];
    let mut names = vec!["b1".to_string()];
    let mut input = c;
    for (i, &(channels, residuals)) in config.stages.iter().enumerate() {
        let name = format!("b{}", i + 2);
        let first = if i == 0 { ", first_block=True" } else { "" };
        stages.push(format!(
            "{name} = nn.Sequential(*resnet_block({input}, {channels}, {residuals}{first}))"
        ));
        names.push(name);
        input = channels;
    }
    let net = format!(
        "net = nn.Sequential({}, nn.AdaptiveAvgPool2d((1,1)), nn.Flatten(), nn.Linear({input}, 10))",
        names.join(", ")
    );
    let code = format!(
        "{class}\n\n{b1}\n\n\n{}\n\n{}\n{net}",
        resnet_block(block, config.shortcut, widens),
        stages.join("\n")
    );
    // Our weights files name a Residual's second convolution by its place
    // in the block's body when the block has no batch norm (`body2`: the
    // ReLU before it is at 1), not `conv2` (src/weights.rs, `torch_name`).
    let file_names = match (config.shortcut, config.batch_norm) {
        (true, false) => vec![(".conv2.", ".body2.")],
        _ => vec![],
    };
    NetCode { code, file_names }
}
