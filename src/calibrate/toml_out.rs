//! Writing a scenario (or a fragment of one) as commented TOML: every value
//! with the evidence for it in the comment above.

use std::fmt::Write;

#[derive(Default)]
pub struct TomlOut {
    text: String,
}

impl TomlOut {
    /// A comment block, one `#` line per line of `text`.
    pub fn comment(&mut self, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.text.push_str("#\n");
            } else {
                let _ = writeln!(self.text, "# {line}");
            }
        }
    }

    pub fn blank(&mut self) {
        self.text.push('\n');
    }

    pub fn table(&mut self, name: &str) {
        let _ = writeln!(self.text, "\n[{name}]");
    }

    /// `key = value`, with `why` as the comment above it.
    pub fn key(&mut self, key: &str, value: impl std::fmt::Display, why: &str) {
        self.comment(why);
        let _ = writeln!(self.text, "{key} = {value}");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

/// A TOML basic string.
pub fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A rate or probability, to four decimal places (enough for a monthly hazard).
pub fn rate(value: f64) -> String {
    format!("{:.4}", value)
}

/// A number of people or FTE, to one decimal place as the DfE publishes.
pub fn amount(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a \"b\"\\c\nd"), "\"a \\\"b\\\"\\\\c\\nd\"");
    }

    #[test]
    fn numbers_read_back_as_toml_floats() {
        assert_eq!(amount(12.0), "12.0");
        assert_eq!(amount(12.345), "12.3");
        assert_eq!(rate(0.123456), "0.1235");
    }
}
