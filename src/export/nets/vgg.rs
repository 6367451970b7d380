//! VGG (d2l §7.2) as the book writes it: `vgg_block`, `vgg(conv_arch)`,
//! and the width ratio that slims the net it trains. The form's
//! `conv_arch` and ratio are written in; so is the `7 * 7` that
//! `nn.Flatten()` sees, which follows from the input size.

use crate::arch::VggConfig;
use crate::export::python::tuple;

const VGG_BLOCK: &str = "\
def vgg_block(num_convs, in_channels, out_channels):
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)
";

/// `flat` is what `nn.Flatten()` flattens, `[C, H, W]`.
pub fn code(config: &VggConfig, flat: &[usize]) -> String {
    let (height, width) = (flat[1], flat[2]);
    let vgg = format!(
        "\
def vgg(conv_arch):
    conv_blks = []
    in_channels = 1
    for (num_convs, out_channels) in conv_arch:
        conv_blks.append(vgg_block(num_convs, in_channels, out_channels))
        in_channels = out_channels
    return nn.Sequential(
        *conv_blks, nn.Flatten(),
        nn.Linear(out_channels * {height} * {width}, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(4096, 10))
"
    );
    let pairs: Vec<String> = config
        .conv_arch
        .iter()
        .map(|(n, c)| format!("({n}, {c})"))
        .collect();
    let net = match config.ratio {
        1 => "net = vgg(conv_arch)".to_string(),
        ratio => format!(
            "ratio = {ratio}\n\
             small_conv_arch = [(pair[0], pair[1] // ratio) for pair in conv_arch]\n\
             net = vgg(small_conv_arch)"
        ),
    };
    format!("{VGG_BLOCK}\n\n{vgg}\n\nconv_arch = {}\n{net}", tuple(&pairs))
}
