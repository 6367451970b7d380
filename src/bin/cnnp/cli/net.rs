//! The flags that say which net, at which input size: `--preset`,
//! `--config`, `--edit`, `--ratio`, `--resize`, and a weights file's own say.

use cnn_playground::arch::{Arch, MAX_INPUT_SIDE, NetConfig, edit};
use cnn_playground::training::TrainConfig;

use super::UsageError;
use super::flags::Flags;
use super::weights_file::WeightsFile;

impl Flags {
    /// The net and input size to read `file` into: those the file says it
    /// holds (ours say, PyTorch's do not), each unless the flags give one;
    /// without such a file, the flags' over `default`'s.
    pub fn net_for_weights(
        &self,
        arch: Arch,
        default: &TrainConfig,
        file: Option<&WeightsFile>,
    ) -> Result<(NetConfig, usize), UsageError> {
        let about = file
            .and_then(|file| file.about.as_ref())
            .filter(|about| about.net.arch() == arch);
        let describes_net = ["ratio", "config", "edit", "preset"]
            .iter()
            .any(|flag| self.value(flag).is_some());
        let net = match about {
            Some(about) if !describes_net => about.net.clone(),
            _ => self.net(arch, default.net.clone())?,
        };
        let side = about.map_or(default.resize, |about| about.resize);
        self.resize(arch, side).map(|side| (net, side))
    }

    /// The net's config: `--config FILE` (a description as `cnnp config`
    /// prints it) or `config`, with VGG's `--ratio` applied.
    pub fn net(&self, arch: Arch, mut config: NetConfig) -> Result<NetConfig, UsageError> {
        if let Some(preset) = self.preset(arch)? {
            config = preset.net;
        }
        if let Some(path) = self.value("config") {
            config = described_net(path, arch)?;
        }
        if let Some(edits) = self.value("edit") {
            let (edited, errors) = edit::apply_query(config, edits);
            if let Some((edit, error)) = errors.first() {
                return Err(UsageError(format!("--edit {edit}: {error}")));
            }
            config = edited;
        }
        if let Some(ratio) = self.number("ratio", 1, 64)? {
            if arch != Arch::Vgg {
                return Err(UsageError(format!(
                    "--ratio applies to vgg only, not {}",
                    arch.id()
                )));
            }
            config = config.with_vgg_ratio(ratio);
        }
        Ok(config)
    }

    /// `--preset ID`: one of the book's exercises for `arch`.
    fn preset(&self, arch: Arch) -> Result<Option<edit::Preset>, UsageError> {
        let Some(id) = self.value("preset") else {
            return Ok(None);
        };
        let presets = edit::presets(arch);
        match presets.iter().find(|preset| preset.id == id) {
            Some(preset) => Ok(Some(preset.clone())),
            None => Err(UsageError(format!(
                "no preset '{id}' for {}; accepted: {}",
                arch.id(),
                presets
                    .iter()
                    .map(|preset| preset.id)
                    .collect::<Vec<_>>()
                    .join("|")
            ))),
        }
    }

    /// The input side: `--resize`, else the preset's, else `default`.
    pub fn resize(&self, arch: Arch, default: usize) -> Result<usize, UsageError> {
        let preset = self.preset(arch)?.and_then(|preset| preset.resize);
        Ok(self
            .number("resize", 1, MAX_INPUT_SIDE)?
            .or(preset)
            .unwrap_or(default))
    }
}

/// The net described in the file at `path` (as `cnnp config` prints it),
/// checked as the page's editor checks it, which must be an `arch` net.
fn described_net(path: &str, arch: Arch) -> Result<NetConfig, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| UsageError(format!("cannot read {path}: {e}")))?;
    let described: NetConfig = serde_json::from_str(&text).map_err(|e| {
        UsageError(format!(
            "{path} is not a net description ({e}); `cnnp config --arch {}` prints one",
            arch.id()
        ))
    })?;
    edit::check(&described).map_err(|e| UsageError(format!("{path}: {e}")))?;
    if described.arch() != arch {
        return Err(UsageError(format!(
            "{path} describes a {} net, not a {} one",
            described.arch().id(),
            arch.id()
        )));
    }
    Ok(described)
}
