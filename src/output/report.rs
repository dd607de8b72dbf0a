//! report.html: one self-contained page (charts inline as SVG, no scripts, no
//! network) with the summary, the target table and the charts.

use std::path::Path;

use super::{OutputError, io};
use crate::model::Scenario;

const STYLE: &str = "body{font-family:sans-serif;max-width:1060px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}\
th{background:#f3f3f3}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}\
h1{border-bottom:2px solid #0072b2}code{background:#f5f5f5;padding:0 3px}";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Builds the page from the summary's Markdown and the charts already written.
pub fn render(
    scenario: &Scenario,
    summary_md: &str,
    charts: &[String],
    dir: &Path,
) -> Result<String, OutputError> {
    let mut body = String::new();
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(summary_md, options),
    );
    let mut figures = String::new();
    for stem in charts {
        let path = dir.join("charts").join(format!("{stem}.svg"));
        let svg = std::fs::read_to_string(&path).map_err(io(&path))?;
        figures.push_str(&format!(
            "<figure id=\"{stem}\">{svg}<figcaption>charts/{stem}.png, charts/{stem}.svg</figcaption></figure>\n"
        ));
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>staffcast: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<h2>Charts</h2>\n{figures}<p>Made by staffcast {version}.</p>\n</body>\n</html>\n",
        title = escape(&scenario.name),
        version = env!("CARGO_PKG_VERSION"),
    ))
}
