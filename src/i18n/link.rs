//! A link's notices in both languages: which parameter was ignored, what
//! it should have been, and that the default stands. Parameter names and
//! values are the link's and stay as written.

use super::english::english_display;
use super::{Lang, Say};
use crate::link::{HIDEABLE, Notice, Wanted};

impl Say for Notice {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Notice::Ignored { key, value, expected }, Lang::En) => {
                format!("{key}={value} ignored: expected {expected}; the default stands")
            }
            (Notice::Ignored { key, value, expected }, Lang::Zh) => {
                format!("已忽略 {key}={value}：应为{}；保留默认值", expected.say(lang))
            }
            (Notice::Unknown { key }, Lang::En) => format!("unknown parameter '{key}' ignored"),
            (Notice::Unknown { key }, Lang::Zh) => format!("已忽略未知参数“{key}”"),
            (Notice::RatioNotVgg, Lang::En) => "ratio ignored: only VGG has a width ratio".to_string(),
            (Notice::RatioNotVgg, Lang::Zh) => "已忽略 ratio：只有 VGG 有宽度比例".to_string(),
            (Notice::Edit(error), Lang::En) => format!("edit ignored: {error}"),
            (Notice::Edit(error), Lang::Zh) => format!("已忽略修改：{}", error.say(lang)),
        }
    }
}

impl Say for Wanted {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Wanted::Number(expected), lang) => expected.say(lang),
            (Wanted::Arch { ids }, Lang::En) => format!("one of {ids}"),
            (Wanted::Arch { ids }, Lang::Zh) => format!("以下之一：{ids}"),
            (Wanted::Setup, Lang::En) => "quick or book".to_string(),
            (Wanted::Setup, Lang::Zh) => "quick 或 book".to_string(),
            (Wanted::Optimizer, Lang::En) => "sgd, momentum or adam".to_string(),
            (Wanted::Optimizer, Lang::Zh) => "sgd、momentum 或 adam".to_string(),
            (Wanted::Backend, Lang::En) => "auto, webgpu or cpu".to_string(),
            (Wanted::Backend, Lang::Zh) => "auto、webgpu 或 cpu".to_string(),
            (Wanted::Flag, Lang::En) => "1 or 0".to_string(),
            (Wanted::Flag, Lang::Zh) => "1 或 0".to_string(),
            (Wanted::SitePath, Lang::En) => {
                "a path to a weights file on this site (assets/weights/lenet.safetensors)".to_string()
            }
            (Wanted::SitePath, Lang::Zh) => {
                "本站上某个权重文件的路径（assets/weights/lenet.safetensors）".to_string()
            }
            (Wanted::Lang, Lang::En) => "en or zh".to_string(),
            (Wanted::Lang, Lang::Zh) => "en 或 zh".to_string(),
            (Wanted::Hideable { unknown }, Lang::En) => format!(
                "names {} unknown; hideable: {}",
                unknown.join(", "),
                HIDEABLE.join(", ")
            ),
            (Wanted::Hideable { unknown }, Lang::Zh) => format!(
                "可隐藏的控件：{}；{} 不在其中",
                HIDEABLE.join("、"),
                unknown.join("、")
            ),
            (Wanted::DataName, Lang::En) => "a name of 1 to 100 characters".to_string(),
            (Wanted::DataName, Lang::Zh) => "1 到 100 个字符的名称".to_string(),
            (Wanted::ClassNames { limit }, Lang::En) => {
                format!("2 to {limit} class names, separated by commas")
            }
            (Wanted::ClassNames { limit }, Lang::Zh) => format!("2 到 {limit} 个类别名称，用逗号分隔"),
            (Wanted::Channels, Lang::En) => "1 (grey) or 3 (colour)".to_string(),
            (Wanted::Channels, Lang::Zh) => "1（灰度）或 3（彩色）".to_string(),
            (Wanted::Hash, Lang::En) => "16 hexadecimal digits".to_string(),
            (Wanted::Hash, Lang::Zh) => "16 位十六进制数字".to_string(),
            (Wanted::WithData, Lang::En) => "data= and classes= together".to_string(),
            (Wanted::WithData, Lang::Zh) => "data= 与 classes= 同时给出".to_string(),
        }
    }
}

english_display!(Notice, Wanted);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check_message;
    use crate::link::Link;

    #[test]
    fn every_notice_names_the_parameter_in_both_languages() {
        let link = Link::parse(
            "arch=squeezenet&setup=fast&lr=abc&optimizer=rmsprop&backend=tpu&embed=maybe&weights=http://x&lang=fr\
             &hide=wings&colour=red&edit=nope-1",
        );
        let expected: [&[&str]; 11] = [
            &["arch=squeezenet", "lenet|alexnet"],
            &["setup=fast", "quick", "book"],
            &["lr=abc", "0.000001", "10"],
            &["optimizer=rmsprop", "sgd", "adam"],
            &["backend=tpu", "webgpu", "cpu"],
            &["embed=maybe", "1", "0"],
            &["weights=http://x", "assets/weights/lenet.safetensors"],
            &["lang=fr", "en", "zh"],
            &["hide=wings", "wings", "editor"],
            &["colour"],
            &["nope"],
        ];
        assert_eq!(link.notices.len(), expected.len(), "{:?}", link.notices);
        for (notice, values) in link.notices.iter().zip(expected) {
            check_message(notice, values);
        }
        assert_eq!(
            link.notices[2].say(Lang::Zh),
            "已忽略 lr=abc：应为0.000001 到 10 之间的数；保留默认值"
        );
        let ratio = Link::parse("arch=lenet&ratio=2");
        assert_eq!(ratio.notices, [Notice::RatioNotVgg]);
        check_message(&ratio.notices[0], &["ratio", "VGG"]);
    }
}
