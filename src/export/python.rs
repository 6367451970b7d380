//! Python's spelling of what the exported code holds: numbers, strings,
//! tuples, the book's layer calls, and a JSON value as a Python literal.

use serde_json::Value;

/// A float as Python reads it back to the same `f64`: Rust's shortest
/// round-trip form, which always has a `.` or an exponent (`0.9`, `1.0`,
/// `1e-5`), so Python never takes it for an integer.
pub fn float(x: f64) -> String {
    format!("{x:?}")
}

/// A string literal: JSON's escapes are Python's.
pub fn string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// `(a, b)`, or `(a,)` for one item: Python's tuple.
pub fn tuple(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// `nn.Conv2d(1, 6, kernel_size=5, padding=2)`: stride and padding only
/// where they are not PyTorch's defaults, as the book writes them.
pub fn conv2d(input: usize, output: usize, kernel: usize, stride: usize, padding: usize) -> String {
    let mut text = format!("nn.Conv2d({input}, {output}, kernel_size={kernel}");
    if stride != 1 {
        text += &format!(", stride={stride}");
    }
    if padding != 0 {
        text += &format!(", padding={padding}");
    }
    text + ")"
}

/// `name(first,` then each further item on its own line under the first,
/// the last closed: the book's way with a long `nn.Sequential(...)`.
/// `items` already end in their commas but the last.
pub fn hanging(head: &str, items: &[String]) -> String {
    let indent = " ".repeat(head.chars().count());
    let mut text = head.to_string();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text += "\n";
            text += &indent;
        }
        text += item;
    }
    text + ")"
}

/// `name(` then each line indented by four, the last closed: the book's
/// `net = nn.Sequential(` with a layer or two a line.
pub fn block(head: &str, lines: &[String]) -> String {
    let body: Vec<String> = lines.iter().map(|line| format!("    {line}")).collect();
    format!("{head}\n{})", body.join("\n"))
}

/// A JSON value as the Python literal that is the same value: `true` is
/// `True`, `null` is `None`; objects are dicts, arrays lists.
pub fn literal(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        // serde_json writes floats in their shortest round-trip form,
        // which Python reads back to the same f64.
        Value::Number(number) => number.to_string(),
        Value::String(text) => string(text),
        Value::Array(items) => format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("{}: {}", string(key), literal(value)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_a_point_or_an_exponent_and_round_trip() {
        assert_eq!(float(0.9), "0.9");
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1e-5), "1e-5");
        assert_eq!(float(0.05), "0.05");
        for x in [0.1, 1.0 / 3.0, 1e-8, 123456.789] {
            assert_eq!(float(x).parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn a_one_item_tuple_keeps_its_comma() {
        assert_eq!(tuple(&["(1, 64)".to_string()]), "((1, 64),)");
        assert_eq!(tuple(&["1".to_string(), "2".to_string()]), "(1, 2)");
    }

    #[test]
    fn convolutions_name_only_what_differs_from_pytorchs_defaults() {
        assert_eq!(conv2d(1, 6, 5, 1, 2), "nn.Conv2d(1, 6, kernel_size=5, padding=2)");
        assert_eq!(conv2d(6, 16, 5, 1, 0), "nn.Conv2d(6, 16, kernel_size=5)");
        assert_eq!(
            conv2d(1, 96, 11, 4, 1),
            "nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1)"
        );
    }

    #[test]
    fn hanging_items_line_up_under_the_first() {
        let items = ["a,".to_string(), "b".to_string()];
        assert_eq!(hanging("b3 = f(", &items), "b3 = f(a,\n       b)");
        assert_eq!(block("net = f(", &items), "net = f(\n    a,\n    b)");
    }

    #[test]
    fn json_becomes_the_same_python_value() {
        let value = serde_json::json!({"a": [1, 2.5, 1e-5], "b": true, "c": null, "d": "x\"y"});
        assert_eq!(
            literal(&value),
            r#"{"a": [1, 2.5, 0.00001], "b": True, "c": None, "d": "x\"y"}"#
        );
    }
}
