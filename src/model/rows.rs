//! A row's module by its path, as the shape table numbers rows.

use super::LayerModule;

impl LayerModule {
    /// The element at `path` below this one (this one when `path` is empty),
    /// as `forward_watched` numbers them.
    pub fn at(&self, path: &[usize]) -> Option<&LayerModule> {
        let Some((&first, rest)) = path.split_first() else {
            return Some(self);
        };
        match self {
            LayerModule::Sequential(seq) => seq.layers.get(first)?.at(rest),
            LayerModule::Inception(inception) => match rest.split_first() {
                None => None,
                Some((&i, rest)) => inception.paths.get(first)?.layers.get(i)?.at(rest),
            },
            LayerModule::Residual(residual) => {
                let body = residual.body.layers.len();
                let layer = match first < body {
                    true => residual.body.layers.get(first),
                    false => residual.shortcut.layers.get(first - body),
                };
                layer?.at(rest)
            }
            LayerModule::DenseBlock(dense) => match rest.split_first() {
                None => None,
                Some((&i, rest)) => dense.conv_blocks.get(first)?.layers.get(i)?.at(rest),
            },
            _ => None,
        }
    }
}

/// `layers` and everything inside them, numbered from `first` under `path`
/// (`Net::visit_rows`).
pub(super) fn visit_list(
    layers: &[LayerModule],
    path: &mut Vec<usize>,
    first: usize,
    visit: &mut impl FnMut(&[usize], &LayerModule),
) {
    for (i, layer) in layers.iter().enumerate() {
        path.push(first + i);
        visit(path, layer);
        match layer {
            LayerModule::Sequential(seq) => visit_list(&seq.layers, path, 0, visit),
            LayerModule::Inception(inception) => {
                for (i, branch) in inception.paths.iter().enumerate() {
                    path.push(i);
                    visit_list(&branch.layers, path, 0, visit);
                    path.pop();
                }
            }
            LayerModule::Residual(residual) => {
                visit_list(&residual.body.layers, path, 0, visit);
                visit_list(&residual.shortcut.layers, path, residual.body.layers.len(), visit);
            }
            LayerModule::DenseBlock(dense) => {
                for (i, block) in dense.conv_blocks.iter().enumerate() {
                    path.push(i);
                    visit_list(&block.layers, path, 0, visit);
                    path.pop();
                }
            }
            _ => {}
        }
        path.pop();
    }
}
