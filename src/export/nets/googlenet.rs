//! GoogLeNet (d2l §7.4) as the book writes it: the `Inception` class, b1
//! and b2 as they are, and b3, b4, b5 with the form's path widths, each
//! block's input width following from the one before.

use crate::arch::{GoogLeNetConfig, InceptionWidths};
use crate::export::python::hanging;

const INCEPTION: &str = "\
class Inception(nn.Module):
    # c1--c4 are the number of output channels for each path
    def __init__(self, in_channels, c1, c2, c3, c4, **kwargs):
        super(Inception, self).__init__(**kwargs)
        # Path 1 is a single 1 x 1 convolutional layer
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        # Path 2 is a 1 x 1 convolutional layer followed by a 3 x 3 one
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        # Path 3 is a 1 x 1 convolutional layer followed by a 5 x 5 one
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        # Path 4 is a 3 x 3 max pooling layer followed by a 1 x 1 convolution
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        # Concatenate the outputs on the channel dimension
        return torch.cat((p1, p2, p3, p4), dim=1)
";

const B1_B2: &str = "\
b1 = nn.Sequential(nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3),
                   nn.ReLU(), nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1), nn.ReLU(),
                   nn.Conv2d(64, 192, kernel_size=3, padding=1), nn.ReLU(),
                   nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
";

/// `name = nn.Sequential(Inception(...), ..., ending)`, from `channels`
/// input channels, which it leaves at the last block's output width.
fn stage(name: &str, widths: &[InceptionWidths], ending: &[&str], channels: &mut usize) -> String {
    let mut items: Vec<String> = widths
        .iter()
        .map(|&(c1, c2a, c2b, c3a, c3b, c4)| {
            let item = format!("Inception({channels}, {c1}, ({c2a}, {c2b}), ({c3a}, {c3b}), {c4}),");
            *channels = c1 + c2b + c3b + c4;
            item
        })
        .collect();
    items.extend(ending.iter().map(|layer| format!("{layer},")));
    if let Some(last) = items.last_mut() {
        last.pop();
    }
    hanging(&format!("{name} = nn.Sequential("), &items)
}

pub fn code(config: &GoogLeNetConfig) -> String {
    let pool = "nn.MaxPool2d(kernel_size=3, stride=2, padding=1)";
    let mut channels = 192;
    let b3 = stage("b3", &config.b3, &[pool], &mut channels);
    let b4 = stage("b4", &config.b4, &[pool], &mut channels);
    let b5 = stage(
        "b5",
        &config.b5,
        &["nn.AdaptiveAvgPool2d((1,1))", "nn.Flatten()"],
        &mut channels,
    );
    format!(
        "{INCEPTION}\n\n{B1_B2}{b3}\n{b4}\n{b5}\n\
         net = nn.Sequential(b1, b2, b3, b4, b5, nn.Linear({channels}, 10))"
    )
}
