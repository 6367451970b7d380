//! The net editor's fields: every field survives a link, bad text names the
//! field, and an edit that no longer fits names the layer.

use cnn_playground::arch::edit::{self, Kind};
use cnn_playground::arch::{Arch, INPUT_CHANNELS, NetConfig};
use cnn_playground::link::Link;
use cnn_playground::shape::ShapeTable;

/// Another valid text for `field`: what a student might type instead.
fn another_value(field: &edit::Field) -> String {
    let cells = |text: &str| -> Vec<Vec<usize>> {
        text.split(", ")
            .map(|row| row.split('×').map(|cell| cell.parse().unwrap()).collect())
            .collect()
    };
    match field.kind {
        Kind::Whole { min, max } => {
            let now: usize = field.value.parse().unwrap();
            if now == min { (min + 1).min(max) } else { min }.to_string()
        }
        Kind::Number { min, max } => {
            let now: f64 = field.value.parse().unwrap();
            let other = (min + max) / 4.0;
            if now == other { min } else { other }.to_string()
        }
        Kind::Choice(choices) => choices.iter().find(|c| **c != field.value).unwrap().to_string(),
        Kind::Flag => if field.value == "on" { "off" } else { "on" }.to_string(),
        Kind::List { min_len, max, .. } => {
            let mut items: Vec<usize> = field
                .value
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            match items.first_mut() {
                Some(first) => *first = if *first == max { 1 } else { *first + 1 },
                None => items.push(8),
            }
            items.truncate(items.len().max(min_len));
            items.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
        }
        Kind::Rows { min, max, .. } => {
            let mut rows = cells(&field.value);
            let cell = &mut rows[0][0];
            *cell = if *cell == max { min.max(1) } else { *cell + 1 };
            rows.push(rows[0].clone());
            rows.iter()
                .map(|row| row.iter().map(usize::to_string).collect::<Vec<_>>().join("×"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

#[test]
fn every_field_of_every_net_survives_a_link() {
    for arch in Arch::ALL {
        let book = NetConfig::default_for(arch);
        assert_eq!(edit::to_query(&book), "", "{arch}: the book's net needs no edits");
        assert!(
            edit::changes(&book).is_empty(),
            "{arch}: the book's net changes nothing"
        );
        let fields = edit::fields(&book);
        assert!(!fields.is_empty(), "{arch} has fields");
        for field in &fields {
            let text = another_value(field);
            let edited = edit::set(&book, field.key, &text)
                .unwrap_or_else(|e| panic!("{arch} {}: '{text}' is valid: {e}", field.key));
            assert_ne!(edited, book, "{arch} {} = {text} changes the net", field.key);
            let shown = edit::fields(&edited);
            let shown = shown.iter().find(|f| f.key == field.key).unwrap();
            // The page's "changed from the book's" line: this field, from the
            // book's text to the new one.
            let changes = edit::changes(&edited);
            assert_eq!(changes.len(), 1, "{arch} {}: one change", field.key);
            assert_eq!(
                (changes[0].field.key, &changes[0].book),
                (field.key, &field.value)
            );
            assert_eq!(changes[0].field.value, shown.value);
            assert_eq!(
                edit::set(&edited, field.key, &shown.value).unwrap(),
                edited,
                "{arch} {}: its text reads back",
                field.key
            );
            // Through the whole link, as the page writes and reads it.
            let link = Link {
                arch: Some(arch),
                net: Some(edited.clone()),
                ..Link::default()
            };
            let query = link.to_query();
            let back = Link::parse(&query);
            assert!(back.notices.is_empty(), "{query}: {:?}", back.notices);
            assert_eq!(
                back.net.as_ref(),
                Some(&edited),
                "{arch} {} through {query}",
                field.key
            );
        }
    }
}

#[test]
fn all_edits_at_once_survive_a_link_and_the_json_the_command_line_reads() {
    for arch in Arch::ALL {
        let mut config = NetConfig::default_for(arch);
        for field in edit::fields(&config) {
            config = edit::set(&config, field.key, &another_value(&field)).unwrap();
        }
        let (back, errors) = edit::from_query(arch, &edit::to_query(&config));
        assert!(errors.is_empty(), "{arch}: {errors:?}");
        // VGG's ratio travels as ratio=, not in the edits.
        let back = match config.vgg_ratio() {
            Some(ratio) => back.with_vgg_ratio(ratio),
            None => back,
        };
        assert_eq!(back, config, "{arch}");
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            serde_json::from_str::<NetConfig>(&json).unwrap(),
            config,
            "{arch}: {json}"
        );
    }
    // Descriptions written before the nets had fields still read, as the
    // book's nets (a weights file's metadata, a saved run).
    let old: NetConfig = serde_json::from_str(r#"{"arch":"lenet"}"#).unwrap();
    assert_eq!(old, NetConfig::default_for(Arch::LeNet));
}

/// What the editor can make passes the check a description read from a
/// file goes through; what it cannot is refused, naming the field.
#[test]
fn the_check_passes_every_net_the_editor_makes_and_no_other() {
    for arch in Arch::ALL {
        let book = NetConfig::default_for(arch);
        assert_eq!(edit::check(&book), Ok(()), "{arch}");
        let mut edited = book.clone();
        for field in edit::fields(&book) {
            edited = edit::set(&edited, field.key, &another_value(&field)).unwrap();
            assert_eq!(edit::check(&edited), Ok(()), "{arch} {}", field.key);
        }
        for preset in edit::presets(arch) {
            assert_eq!(edit::check(&preset.net), Ok(()), "{}", preset.id);
        }
    }
    for shortcut in [false, true] {
        assert_eq!(edit::check(&edit::deep_pair(shortcut)), Ok(()));
    }
    let hostile = |json: &str| {
        edit::check(&serde_json::from_str::<NetConfig>(json).unwrap())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        hostile(r#"{"arch":"lenet","channels":[6,1000000000]}"#),
        "convolution channels: a whole number from 1 to 4096, not “1000000000”"
    );
    assert_eq!(
        hostile(r#"{"arch":"vgg","conv_arch":[]}"#),
        "blocks (convolutions × channels): from 1 to 8 rows, not 0"
    );
    assert_eq!(
        hostile(r#"{"arch":"bn-lenet","places":[true,true,true,true,true,true]}"#),
        "it describes a LeNet + BatchNorm with settings the editor has no field for"
    );
}

#[test]
fn bad_text_names_the_field() {
    let vgg = NetConfig::default_for(Arch::Vgg);
    let error = edit::set(&vgg, "blocks", "1×64, 2").unwrap_err().to_string();
    assert!(
        error.starts_with("blocks (convolutions × channels): row 2 has 1 numbers"),
        "{error}"
    );
    let error = edit::set(&vgg, "blocks", "1×64, 2×abc").unwrap_err().to_string();
    assert!(
        error.contains("row 2: a whole number from 1 to 1024, not “abc”"),
        "{error}"
    );
    let error = edit::set(&vgg, "blocks", "").unwrap_err().to_string();
    assert!(error.contains("from 1 to 8 rows, not 0"), "{error}");
    let lenet = NetConfig::default_for(Arch::LeNet);
    let error = edit::set(&lenet, "act", "tanh").unwrap_err().to_string();
    assert_eq!(error, "activation: one of sigmoid, relu");
    let error = edit::set(&lenet, "ch", "6, 0").unwrap_err().to_string();
    assert_eq!(
        error,
        "convolution channels: a whole number from 1 to 4096, not “0”"
    );
    let bn = NetConfig::default_for(Arch::BnLeNet);
    let error = edit::set(&bn, "eps", "-1").unwrap_err().to_string();
    assert!(error.starts_with("eps: a number from"), "{error}");
    let error = edit::set(&bn, "nope", "1").unwrap_err().to_string();
    assert_eq!(error, "LeNet + BatchNorm has no setting “nope”");
    // In a link, a bad edit is a notice and the rest still applies.
    let link = Link::parse("arch=lenet&edit=act-relu~ch-6_x");
    assert_eq!(link.notices.len(), 1, "{:?}", link.notices);
    assert!(
        link.notices[0].to_string().contains("convolution channels"),
        "{:?}",
        link.notices
    );
    let expected = edit::set(&lenet, "act", "relu").unwrap();
    assert_eq!(link.net, Some(expected));
}

fn table(config: &NetConfig, side: usize) -> Result<ShapeTable, String> {
    ShapeTable::compute(&config.layers(), &[1, INPUT_CHANNELS, side, side]).map_err(|e| e.to_string())
}

#[test]
fn an_edit_that_does_not_fit_names_the_layer() {
    // LeNet with 11×11 kernels: the second convolution leaves 1×1, which the
    // second pooling cannot halve.
    let lenet = edit::set(&NetConfig::default_for(Arch::LeNet), "k", "11").unwrap();
    let error = table(&lenet, 28).unwrap_err();
    assert!(
        error.starts_with("row 6 › AvgPool2d (k2, s2): the height would drop below 1"),
        "{error}"
    );
    // A convolution without channels.
    let nin = edit::set(
        &NetConfig::default_for(Arch::NiN),
        "blocks",
        "96×11×4×0, 0×5×1×2, 384×3×1×1, 10×3×1×1",
    )
    .unwrap();
    let error = table(&nin, 224).unwrap_err();
    assert!(
        error.contains("Conv2d (96→0, k5, p2): needs at least 1 output channel"),
        "{error}"
    );
    // NiN's last block gives the classes: 12 channels are not 10 scores.
    let nin = edit::set(
        &NetConfig::default_for(Arch::NiN),
        "blocks",
        "96×11×4×0, 256×5×1×2, 384×3×1×1, 12×3×1×1",
    )
    .unwrap();
    let error = table(&nin, 224).unwrap_err();
    assert!(
        error.contains("the net ends in [1, 12], but the loss needs [N, 10]"),
        "{error}"
    );
    // AlexNet at 28×28 as the book builds it, then with the exercise's fix.
    let alexnet = NetConfig::default_for(Arch::AlexNet);
    assert!(table(&alexnet, 28).unwrap_err().contains("MaxPool2d"));
    let preset = edit::preset("alexnet-28").unwrap();
    assert_eq!(preset.resize, Some(28));
    assert!(table(&preset.net, 28).is_ok());
    // Batch norm's settings are checked where they are used.
    let bn = edit::set(&NetConfig::default_for(Arch::BnLeNet), "mom", "1").unwrap();
    assert!(table(&bn, 28).is_ok());
}

#[test]
fn presets_are_the_exercises_they_say() {
    let titles: Vec<String> = [
        "vgg-13",
        "vgg-16",
        "vgg-19",
        "resnet-34",
        "plain-34",
        "deep-plain",
        "deep-residual",
    ]
    .into_iter()
    .map(|id| edit::preset(id).unwrap().net.title().to_string())
    .collect();
    assert_eq!(
        titles,
        [
            "VGG-13",
            "VGG-16",
            "VGG-19",
            "ResNet-34",
            "plain 34-layer net",
            "plain 34-layer net without batch norm (narrow)",
            "ResNet-34 without batch norm (narrow)",
        ]
    );
    // Every net has at least one, each with its question.
    for arch in Arch::ALL {
        let presets = edit::presets(arch);
        assert!(!presets.is_empty(), "{arch}");
        for preset in presets {
            assert_eq!(preset.net.arch(), arch);
            assert!(
                preset.question.to_string().ends_with('?') || preset.question.to_string().ends_with('.'),
                "{}",
                preset.id
            );
            assert_ne!(
                preset.net,
                NetConfig::default_for(arch),
                "{} changes the net",
                preset.id
            );
        }
    }
    assert_eq!(NetConfig::default_for(Arch::LeNet).title().to_string(), "LeNet");
    assert_eq!(
        edit::preset("lenet-relu-max").unwrap().net.title().to_string(),
        "LeNet (edited)"
    );
    // 34 layers with weights: b1's convolution, 2 × 16 residual blocks, the dense layer.
    let deep = edit::deep_pair(false);
    let convs_and_dense = table(&deep, edit::DEEP_PAIR_SIDE).unwrap();
    let mut count = 0;
    fn walk(rows: &[cnn_playground::shape::Row], count: &mut usize) {
        for row in rows {
            if row.name == "Conv2d" || row.name == "Linear" {
                *count += 1;
            }
            walk(&row.children, count);
        }
    }
    walk(&convs_and_dense.rows, &mut count);
    assert_eq!(count, 34);
}
