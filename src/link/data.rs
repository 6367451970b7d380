//! The images a link's run was on, when they were the reader's own. A
//! link never carries images (they stay in the browser that read them);
//! it names them, so that whoever opens it is asked for them and the net
//! has their channels and classes meanwhile:
//! `data=shapes&classes=circle,square,triangle&channels=3&hash=7d85…`.

use super::{Wanted, encode};
use crate::arch::{MAX_CLASSES, NetIo};
use crate::data::own::OwnAbout;

/// A name in a link (the data's or a class's): what a folder can be called.
const MAX_NAME: usize = 100;

/// The data a link names.
#[derive(Clone, Debug, PartialEq)]
pub struct AskedData {
    /// The folder's or zip's name.
    pub name: String,
    /// The class names, in label order.
    pub classes: Vec<String>,
    /// 1 (grey) or 3 (colour).
    pub channels: usize,
    /// `Splits::content_hash` of the images, when the link knows it: the
    /// page says whether the images picked are the same.
    pub hash: Option<String>,
}

impl AskedData {
    /// What the net takes and gives for these images.
    pub fn io(&self) -> NetIo {
        NetIo {
            in_channels: self.channels,
            classes: self.classes.len(),
        }
    }

    /// The query's pairs for these images.
    pub(super) fn pairs(&self) -> Vec<(&'static str, String)> {
        let classes: Vec<String> = self.classes.iter().map(|name| encode(name)).collect();
        let mut pairs = vec![
            ("data", encode(&self.name)),
            ("classes", classes.join(",")),
            ("channels", self.channels.to_string()),
        ];
        if let Some(hash) = &self.hash {
            pairs.push(("hash", hash.clone()));
        }
        pairs
    }
}

impl From<&OwnAbout> for AskedData {
    fn from(about: &OwnAbout) -> Self {
        AskedData {
            name: about.name.clone(),
            classes: about.classes.clone(),
            channels: about.format.channels,
            hash: Some(about.hash.clone()),
        }
    }
}

/// Who asks for images of one's own: the page's link, or a run of run
/// history that trained on them ("Run again").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskedBy {
    Link,
    Run,
}

/// Images of one's own the page asks the reader for.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRequest {
    pub by: AskedBy,
    pub data: AskedData,
    /// The content hash of the images of one's own held when it asked
    /// (they are not an answer to it).
    pub held_before: Option<String>,
}

/// What a link's data parameters said, each as read (decoded), before
/// they are put together.
#[derive(Default)]
pub(super) struct DataParameters {
    pub name: Option<String>,
    pub classes: Option<Vec<String>>,
    pub channels: Option<usize>,
    pub hash: Option<String>,
}

/// A data or class name: not empty, not too long, no control characters.
pub(super) fn name(value: &str) -> Result<String, Wanted> {
    let fine =
        !value.is_empty() && value.chars().count() <= MAX_NAME && value.chars().all(|c| !c.is_control());
    match fine {
        true => Ok(value.to_string()),
        false => Err(Wanted::DataName),
    }
}

/// `classes=`: 2 to `MAX_CLASSES` names, comma-separated, each encoded on
/// its own (a name may hold a comma); `raw` is the value before decoding.
pub(super) fn class_names(raw: &str, decode: fn(&str) -> String) -> Result<Vec<String>, Wanted> {
    let names: Result<Vec<String>, Wanted> = raw.split(',').map(|part| name(decode(part).trim())).collect();
    match names {
        Ok(names) if (2..=MAX_CLASSES).contains(&names.len()) => Ok(names),
        _ => Err(Wanted::ClassNames { limit: MAX_CLASSES }),
    }
}

pub(super) fn channels(value: &str) -> Result<usize, Wanted> {
    match value {
        "1" => Ok(1),
        "3" => Ok(3),
        _ => Err(Wanted::Channels),
    }
}

/// A content hash: 16 hexadecimal digits.
pub(super) fn hash(value: &str) -> Result<String, Wanted> {
    match value.len() == 16 && value.chars().all(|c| c.is_ascii_hexdigit()) {
        true => Ok(value.to_ascii_lowercase()),
        false => Err(Wanted::Hash),
    }
}

impl DataParameters {
    /// The data the parameters name; `data=` and `classes=` both needed
    /// (else each given alone is named in a notice).
    pub fn asked(self) -> (Option<AskedData>, Vec<&'static str>) {
        match (self.name, self.classes) {
            (Some(name), Some(classes)) => (
                Some(AskedData {
                    name,
                    classes,
                    channels: self.channels.unwrap_or(1),
                    hash: self.hash,
                }),
                vec![],
            ),
            (name, classes) => {
                let mut alone = vec![];
                if name.is_some() {
                    alone.push("data");
                }
                if classes.is_some() {
                    alone.push("classes");
                }
                if self.channels.is_some() {
                    alone.push("channels");
                }
                if self.hash.is_some() {
                    alone.push("hash");
                }
                (None, alone)
            }
        }
    }
}
