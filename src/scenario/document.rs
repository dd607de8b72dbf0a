//! A TOML document as a small tree whose every value remembers where it was
//! written, so that each problem can be reported with its line and column.
//!
//! Variants are overlays: [`Table::overlay`] merges a variant's tables into a
//! copy of the base, keeping the variant's own positions for what it changes.

use toml_edit::{Document, Item, Value as TomlValue};

/// A 1-based line and column in the scenario file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug)]
pub enum Value {
    Integer(i64),
    Float(f64),
    Bool(bool),
    String(String),
    /// A date or time, which staffcast never takes: months are written "YYYY-MM".
    Datetime(String),
    Array(Vec<Node>),
    Table(Table),
}

#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub at: Position,
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
    /// Written as `{ ... }` on one line: replaced whole by an overlay, never merged.
    pub inline: bool,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_at: Position,
    pub node: Node,
}

impl Node {
    /// What a person would call this value in an error message.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Integer(i) => i.to_string(),
            // As written: `7.0` is not the whole number `7` a count needs.
            Value::Float(f) => format!("{f:?}"),
            Value::Bool(b) => b.to_string(),
            Value::String(s) => format!("{s:?}"),
            Value::Datetime(d) => format!("the date {d}"),
            Value::Array(items) => format!("an array of {} items", items.len()),
            Value::Table(_) => "a table".to_string(),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Integer(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Merges `over` into `self`: tables written with headers merge key by key;
    /// every other value, inline tables included, is replaced whole. Returns
    /// the key paths replaced or added, in `over`'s order.
    pub fn overlay(&mut self, over: &Table) -> Vec<String> {
        let mut set = Vec::new();
        for entry in &over.entries {
            match self.entries.iter_mut().find(|e| e.key == entry.key) {
                Some(existing) => match (&mut existing.node.value, &entry.node.value) {
                    (Value::Table(base), Value::Table(top)) if !base.inline && !top.inline => {
                        for path in base.overlay(top) {
                            set.push(format!("{}.{path}", entry.key));
                        }
                    }
                    _ => {
                        existing.node = entry.node.clone();
                        set.push(entry.key.clone());
                    }
                },
                None => {
                    self.entries.push(entry.clone());
                    set.push(entry.key.clone());
                }
            }
        }
        set
    }
}

/// A TOML syntax error, with its position.
#[derive(Debug)]
pub struct SyntaxError {
    pub at: Position,
    pub message: String,
}

/// Parses TOML text into a positioned tree.
pub fn parse(text: &str) -> Result<Table, SyntaxError> {
    let lines = LineIndex::new(text);
    let doc = Document::parse(text).map_err(|e| SyntaxError {
        at: lines.position(e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_string(),
    })?;
    let root = doc
        .as_item()
        .as_table()
        .expect("a parsed document's root is a table");
    Ok(convert_table(root.iter(), root, &lines, false))
}

fn convert_table<'a>(
    items: impl Iterator<Item = (&'a str, &'a Item)>,
    table: &impl TableLike,
    lines: &LineIndex,
    inline: bool,
) -> Table {
    let entries = items
        .filter_map(|(key, item)| {
            let key_at = table.key_span(key).map_or_else(
                || item_start(item).map_or_else(Position::default, |s| lines.position(s)),
                |s| lines.position(s),
            );
            convert_item(item, lines).map(|node| Entry {
                key: key.to_string(),
                key_at,
                node,
            })
        })
        .collect();
    Table { entries, inline }
}

trait TableLike {
    fn key_span(&self, key: &str) -> Option<usize>;
}

impl TableLike for toml_edit::Table {
    fn key_span(&self, key: &str) -> Option<usize> {
        self.key(key).and_then(|k| k.span()).map(|s| s.start)
    }
}

impl TableLike for toml_edit::InlineTable {
    fn key_span(&self, key: &str) -> Option<usize> {
        self.key(key).and_then(|k| k.span()).map(|s| s.start)
    }
}

fn item_start(item: &Item) -> Option<usize> {
    item.span().map(|s| s.start)
}

fn convert_item(item: &Item, lines: &LineIndex) -> Option<Node> {
    let at = lines.position(item_start(item).unwrap_or(0));
    match item {
        Item::None => None,
        Item::Value(value) => Some(convert_value(value, lines)),
        Item::Table(table) => Some(Node {
            value: Value::Table(convert_table(table.iter(), table, lines, false)),
            at,
        }),
        Item::ArrayOfTables(array) => Some(Node {
            value: Value::Array(
                array
                    .iter()
                    .map(|t| Node {
                        at: lines.position(t.span().map_or(0, |s| s.start)),
                        value: Value::Table(convert_table(t.iter(), t, lines, false)),
                    })
                    .collect(),
            ),
            at,
        }),
    }
}

fn convert_value(value: &TomlValue, lines: &LineIndex) -> Node {
    let at = lines.position(value.span().map_or(0, |s| s.start));
    let value = match value {
        TomlValue::String(s) => Value::String(s.value().clone()),
        TomlValue::Integer(i) => Value::Integer(*i.value()),
        // A zero's sign means nothing in a scenario; with one zero, models
        // equal as numbers are equal bit for bit (which `fork` relies on).
        TomlValue::Float(f) => Value::Float(*f.value() + 0.0),
        TomlValue::Boolean(b) => Value::Bool(*b.value()),
        TomlValue::Datetime(d) => Value::Datetime(d.value().to_string()),
        TomlValue::Array(items) => {
            Value::Array(items.iter().map(|v| convert_value(v, lines)).collect())
        }
        TomlValue::InlineTable(table) => Value::Table(convert_table(
            table
                .iter()
                .filter_map(|(k, _)| table.get_key_value(k).map(|(_, i)| (k, i))),
            table,
            lines,
            true,
        )),
    };
    Node { value, at }
}

/// Turns byte offsets into line and column numbers.
struct LineIndex {
    starts: Vec<usize>,
    text_len: usize,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            starts,
            text_len: text.len(),
        }
    }

    fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text_len);
        let line = self.starts.partition_point(|&s| s <= offset);
        Position {
            line,
            column: offset - self.starts[line - 1] + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_zero_reads_as_zero() {
        let t = parse("a = -0.0\nb = -1.5\n").unwrap();
        let bits = |k: &str| t.get(k).unwrap().node.as_f64().unwrap().to_bits();
        assert_eq!(bits("a"), 0.0f64.to_bits());
        assert_eq!(bits("b"), (-1.5f64).to_bits());
    }

    #[test]
    fn a_decimal_is_described_as_written() {
        let t = parse("a = 7.0\nb = 7\nc = 0.035\n").unwrap();
        let said = |k: &str| t.get(k).unwrap().node.describe();
        assert_eq!([said("a"), said("b"), said("c")], ["7.0", "7", "0.035"]);
    }

    #[test]
    fn positions_are_one_based() {
        let t = parse("a = 1\n[b]\nc = \"x\"\n").unwrap();
        assert_eq!(t.get("a").unwrap().key_at, Position { line: 1, column: 1 });
        let b = t.get("b").unwrap();
        let Value::Table(b) = &b.node.value else {
            panic!()
        };
        let c = b.get("c").unwrap();
        assert_eq!(c.key_at, Position { line: 3, column: 1 });
        assert_eq!(c.node.at, Position { line: 3, column: 5 });
    }

    #[test]
    fn overlay_merges_header_tables_and_replaces_inline_ones() {
        let mut base = parse("[r]\np = 1\nq = { x = 1, y = 2 }\n").unwrap();
        let over = parse("[r]\nq = { z = 3 }\n[r.s]\nt = 4\n").unwrap();
        assert_eq!(base.overlay(&over), ["r.q", "r.s"]);
        let Value::Table(r) = &base.get("r").unwrap().node.value else {
            panic!()
        };
        assert!(r.get("p").is_some());
        let Value::Table(q) = &r.get("q").unwrap().node.value else {
            panic!()
        };
        assert_eq!(q.entries.len(), 1);
        assert_eq!(q.entries[0].key, "z");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a = 1\nb = = 2\n").unwrap_err();
        assert_eq!(e.at.line, 2);
    }
}
