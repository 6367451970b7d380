//! Setups as links: every parameter, bad values, and the round trip.
// Native tests: in the browser, tests/web.rs (`wasm-pack test` builds them all).
#![cfg(not(target_arch = "wasm32"))]

use cnn_playground::arch::Arch;
use cnn_playground::link::Link;
use cnn_playground::training::{BackendChoice, OptimizerKind};

mod common;

/// The link's notices as the command line says them.
fn notices(link: &Link) -> Vec<String> {
    link.notices.iter().map(ToString::to_string).collect()
}

#[test]
fn every_parameter_is_read() {
    let link = Link::parse(
        "?arch=resnet&lr=0.05&epochs=5&batch=128&resize=96&optimizer=momentum&train=6000&test=1000\
         &backend=cpu&embed=1&hide=arch,optimizer&autostart=1",
    );
    assert_eq!(link.arch, Some(Arch::ResNet));
    assert_eq!(link.lr, Some(0.05));
    assert_eq!(link.epochs, Some(5));
    assert_eq!(link.batch, Some(128));
    assert_eq!(link.resize, Some(96));
    assert_eq!(link.optimizer, Some(OptimizerKind::Momentum));
    assert_eq!((link.train, link.test), (Some(6000), Some(1000)));
    assert_eq!(link.backend, BackendChoice::Cpu);
    assert!(link.embed && link.autostart);
    assert_eq!(link.hide, ["arch", "optimizer"]);
    assert!(link.notices.is_empty(), "{:?}", link.notices);
    assert!(link.hides("optimizer") && !link.hides("lr"));
}

#[test]
fn vgg_ratio_is_read_for_vgg_only() {
    assert_eq!(Link::parse("arch=vgg&ratio=8").ratio, Some(8));
    let link = Link::parse("arch=lenet&ratio=8");
    assert_eq!(link.ratio, None);
    assert_eq!(notices(&link), ["ratio ignored: only VGG has a width ratio"]);
}

#[test]
fn an_empty_query_is_all_defaults() {
    for query in ["", "?", "?&&"] {
        let link = Link::parse(query);
        assert_eq!(link, Link::default(), "{query}");
    }
}

#[test]
fn bad_values_are_ignored_with_a_notice_naming_them() {
    let link =
        Link::parse("arch=squeezenet&lr=-1&epochs=0&batch=lots&resize=100000&optimizer=sgdx&embed=maybe");
    assert_eq!(link.arch, None);
    assert_eq!(link.lr, None);
    assert_eq!(link.epochs, None);
    assert_eq!(link.batch, None);
    assert_eq!(link.resize, None);
    assert_eq!(link.optimizer, None);
    assert!(!link.embed);
    assert_eq!(link.notices.len(), 7, "{:?}", link.notices);
    let said = notices(&link);
    assert!(
        said[0].starts_with("arch=squeezenet ignored: expected one of lenet|alexnet"),
        "{}",
        said[0]
    );
    assert!(said[1].starts_with("lr=-1 ignored"));
    assert!(said.iter().all(|n| n.contains("the default stands")));
    // Not-a-number learning rates are refused too.
    for lr in ["NaN", "inf", "1e400", "0"] {
        assert_eq!(Link::parse(&format!("lr={lr}")).lr, None, "{lr}");
    }
}

#[test]
fn unknown_parameters_and_controls_are_named() {
    let link = Link::parse("colour=blue&hide=arch,wings");
    assert_eq!(link.hide, ["arch"]);
    assert_eq!(link.notices.len(), 2);
    let said = notices(&link);
    assert_eq!(said[0], "unknown parameter 'colour' ignored");
    assert!(said[1].contains("wings"), "{}", said[1]);
}

#[test]
fn escapes_are_decoded() {
    let link = Link::parse("arch=bn%2Dlenet&hide=arch%2Clr&lr=%31e-2");
    assert_eq!(link.arch, Some(Arch::BnLeNet));
    assert_eq!(link.hide, ["arch", "lr"]);
    assert_eq!(link.lr, Some(0.01));
    // Stray or broken escapes never panic.
    for query in ["arch=%", "arch=%4", "arch=%zz", "%%%=%", "lr=%E2%82", "hide=é,ü"] {
        let _ = Link::parse(query);
    }
}

#[test]
fn a_query_leaves_out_the_books_defaults_and_round_trips() {
    let book = Link {
        arch: Some(Arch::ResNet),
        lr: Some(0.05),
        batch: Some(256),
        resize: Some(96),
        epochs: Some(10),
        ..Link::default()
    };
    assert_eq!(book.to_query(), "?arch=resnet");
    let custom = Link {
        arch: Some(Arch::ResNet),
        lr: Some(0.1),
        epochs: Some(5),
        batch: Some(128),
        resize: Some(64),
        optimizer: Some(OptimizerKind::Adam),
        train: Some(5000),
        embed: true,
        hide: vec!["arch".into()],
        ..Link::default()
    };
    let query = custom.to_query();
    assert_eq!(
        query,
        "?arch=resnet&resize=64&lr=0.1&batch=128&epochs=5&optimizer=adam&train=5000&embed=1&hide=arch"
    );
    let back = Link::parse(&query);
    assert_eq!(
        (back.arch, back.lr, back.epochs, back.batch),
        (custom.arch, custom.lr, custom.epochs, custom.batch)
    );
    assert_eq!(
        (back.resize, back.optimizer, back.train),
        (custom.resize, custom.optimizer, custom.train)
    );
    assert!(back.embed && back.notices.is_empty());
}

/// Random query strings from the page's own keys and values and hostile
/// ones (huge and negative numbers, percent escapes, unicode, empty
/// pairs): parsing never panics, and a parsed link written back and read
/// again is the same link. `CNNP_FUZZ_CASES=300000` for a long run.
#[test]
fn hostile_queries_never_panic_and_round_trip() {
    const KEYS: [&str; 19] = [
        "arch",
        "setup",
        "lr",
        "epochs",
        "batch",
        "resize",
        "ratio",
        "optimizer",
        "train",
        "test",
        "backend",
        "embed",
        "hide",
        "autostart",
        "edit",
        "weights",
        "",
        "x",
        "%61rch",
    ];
    const VALUES: [&str; 33] = [
        "lenet",
        "quick",
        "book",
        "resnet",
        "vgg",
        "0",
        "1",
        "-1",
        "0.05",
        "1e309",
        "NaN",
        "inf",
        "18446744073709551617",
        "4096",
        "%",
        "%zz",
        "%E2%82%AC",
        "€",
        "a,b,,arch",
        "cpu",
        "webgpu",
        "adam",
        " ",
        "=",
        "true",
        "",
        "ch-6_16~act-relu",
        "ch-0",
        "ch-99999999999999999999~k-4096",
        "blocks-1x64_9x~stages-",
        "~~-~",
        "../x.safetensors",
        "weights/lenet.safetensors",
    ];
    // Queries are cheap to parse: more of them than of files.
    let cases = common::fuzz_cases(20_000);
    let mut mutator = common::Mutator(0x0DDB_A11C_0FFE_E5ED);
    let mut next = |n: usize| mutator.below(n);
    for case in 0..cases {
        let mut query = String::from(if next(2) == 0 { "?" } else { "" });
        for _ in 0..next(6) {
            let pair = match next(8) {
                0 => KEYS[next(KEYS.len())].to_string(),
                1 => format!("{}=={}", KEYS[next(KEYS.len())], VALUES[next(VALUES.len())]),
                _ => format!("{}={}", KEYS[next(KEYS.len())], VALUES[next(VALUES.len())]),
            };
            query.push_str(&pair);
            query.push(if next(10) == 0 { '#' } else { '&' });
        }
        let parsed = std::panic::catch_unwind(|| Link::parse(&query))
            .unwrap_or_else(|_| panic!("case {case}: parsing {query:?} panicked"));
        let again = Link::parse(&parsed.to_query());
        assert_eq!(
            again.to_query(),
            parsed.to_query(),
            "case {case}: {query:?} does not round-trip"
        );
    }
}

#[test]
fn a_quick_link_is_short_and_changes_from_the_quick_setting() {
    let link = Link::parse("?arch=resnet&setup=quick");
    assert!(link.quick && link.notices.is_empty());
    assert_eq!(link.to_query(), "?arch=resnet&setup=quick");
    let quick = cnn_playground::training::TrainConfig::quick(Arch::ResNet);
    assert_eq!(link.base(), quick);
    // What the page writes back when the form holds the quick setting with
    // one change: that change only.
    let changed = Link {
        arch: Some(Arch::ResNet),
        quick: true,
        resize: Some(quick.resize),
        batch: Some(quick.batch_size),
        lr: Some(quick.lr),
        epochs: Some(quick.epochs + 2),
        train: quick.train_limit,
        test: quick.test_limit,
        ..Link::default()
    };
    assert_eq!(
        changed.to_query(),
        format!("?arch=resnet&setup=quick&epochs={}", quick.epochs + 2)
    );
    assert_eq!(
        notices(&Link::parse("?setup=fast")),
        vec!["setup=fast ignored: expected quick or book; the default stands"]
    );
}

#[test]
fn a_weights_path_on_this_site_is_kept_and_others_are_refused() {
    for path in [
        "assets/weights/lenet.safetensors",
        "/course/bn-lenet.safetensors",
        "../w/my net.safetensors",
    ] {
        let query = format!("?arch=lenet&weights={}", path.replace(' ', "%20"));
        let link = Link::parse(&query);
        assert_eq!(link.weights.as_deref(), Some(path), "{path}");
        assert!(link.notices.is_empty(), "{path}: {:?}", link.notices);
        // And back into a link.
        assert_eq!(Link::parse(&link.to_query()).weights.as_deref(), Some(path));
    }
    for bad in [
        "https://elsewhere.example/w.safetensors",
        "//elsewhere.example/w.safetensors",
        "javascript:alert(1)",
        "data:application/octet-stream;base64,AAAA",
        "",
    ] {
        let link = Link::parse(&format!("?weights={bad}"));
        assert_eq!(link.weights, None, "{bad}");
        assert!(
            link.notices[0].to_string().starts_with("weights="),
            "{bad}: {:?}",
            link.notices
        );
    }
}

#[test]
fn a_link_names_data_of_ones_own_and_never_carries_it() {
    let query =
        "?arch=lenet&data=my%20shapes&classes=circle,square,tri%2Cangle&channels=3&hash=7D8554BE87F1AD5C";
    let link = Link::parse(query);
    assert!(link.notices.is_empty(), "{:?}", link.notices);
    let data = link.data.clone().expect("the link names its data");
    assert_eq!(data.name, "my shapes");
    assert_eq!(
        data.classes,
        ["circle", "square", "tri,angle"],
        "a comma within a name stays"
    );
    assert_eq!((data.io().in_channels, data.io().classes), (3, 3));
    assert_eq!(data.hash.as_deref(), Some("7d8554be87f1ad5c"));
    // Back into a link, and read again the same.
    let again = Link::parse(&link.to_query());
    assert_eq!(again.data, link.data, "{}", link.to_query());
    assert!(
        link.to_query()
            .contains("&data=my%20shapes&classes=circle,square,tri%2Cangle&channels=3&hash=7d8554be87f1ad5c")
    );
    // Grey when the link does not say; no hash when it does not know.
    let grey = Link::parse("?data=digits&classes=0,1,2,3,4,5,6,7,8,9")
        .data
        .unwrap();
    assert_eq!((grey.channels, grey.hash), (1, None));
    // Fashion-MNIST: no data parameters at all.
    assert_eq!(Link::parse("?arch=lenet").data, None);
    assert!(!Link::parse("?arch=lenet").to_query().contains("data="));
}

#[test]
fn bad_data_parameters_are_named_and_fashion_mnist_stands() {
    let cases: [(&str, &str); 7] = [
        (
            "?data=x&classes=one",
            "classes=one ignored: expected 2 to 100 class names",
        ),
        (
            "?data=x&classes=a,,b",
            "classes=a,,b ignored: expected 2 to 100 class names",
        ),
        (
            "?data=x&classes=a,b&channels=2",
            "channels=2 ignored: expected 1 (grey) or 3 (colour)",
        ),
        (
            "?data=x&classes=a,b&hash=zz",
            "hash=zz ignored: expected 16 hexadecimal digits",
        ),
        (
            "?data=&classes=a,b",
            "data= ignored: expected a name of 1 to 100 characters",
        ),
        ("?data=x", "data= ignored: expected data= and classes= together"),
        (
            "?classes=a,b",
            "classes= ignored: expected data= and classes= together",
        ),
    ];
    for (query, said) in cases {
        let link = Link::parse(query);
        let first = notices(&link).into_iter().next().unwrap_or_default();
        assert!(first.starts_with(said), "{query}: {first}");
    }
    // A bad channels= leaves the data named, grey.
    assert_eq!(
        Link::parse("?data=x&classes=a,b&channels=2")
            .data
            .map(|d| d.channels),
        Some(1)
    );
    // Bad names leave no data.
    assert_eq!(Link::parse("?data=x&classes=one").data, None);
    let many = (0..101).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
    assert_eq!(Link::parse(&format!("?data=x&classes={many}")).data, None);
}
