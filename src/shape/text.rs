//! The shape table as aligned text, for the command line.

use super::{Row, ShapeTable};

impl ShapeTable {
    /// The table as aligned text, as the book prints it plus settings,
    /// parameters, MACs and memory; `expand` adds every block's inner layers.
    pub fn to_text(&self, expand: bool) -> String {
        use crate::format::{bytes, shape, thousands};
        let mut lines = vec![[
            "#".to_string(),
            "layer".to_string(),
            "settings".to_string(),
            "output shape".to_string(),
            "params".to_string(),
            "MACs".to_string(),
            "memory".to_string(),
        ]];
        fn push(lines: &mut Vec<[String; 7]>, row: &Row, number: String, depth: usize, expand: bool) {
            let indent = "  ".repeat(depth);
            lines.push([
                number,
                format!("{indent}{}", row.name),
                row.settings.to_string(),
                shape(&row.output),
                thousands(row.params),
                thousands(row.macs),
                bytes(row.activation_bytes),
            ]);
            if expand {
                for child in &row.children {
                    push(lines, child, String::new(), depth + 1, expand);
                }
            }
        }
        for (i, row) in self.rows.iter().enumerate() {
            push(&mut lines, row, (i + 1).to_string(), 0, expand);
        }
        lines.push([
            String::new(),
            "total".to_string(),
            String::new(),
            String::new(),
            thousands(self.total_params),
            thousands(self.total_macs),
            bytes(self.total_activation_bytes),
        ]);
        let widths: Vec<usize> = (0..7)
            .map(|col| {
                lines
                    .iter()
                    .map(|line| line[col].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for line in &lines {
            let mut text = String::new();
            for (col, cell) in line.iter().enumerate() {
                let pad = widths[col] - cell.chars().count();
                // Names and settings read left to right; numbers line up on the right.
                if col == 1 || col == 2 || col == 3 {
                    text += &format!("{cell}{}  ", " ".repeat(pad));
                } else {
                    text += &format!("{}{cell}  ", " ".repeat(pad));
                }
            }
            out += text.trim_end();
            out.push('\n');
        }
        out
    }
}
