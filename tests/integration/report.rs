//! report.html in a real browser: headless Chromium (Debian's `chromium`)
//! loads it from disk with the network off and must see every variant,
//! target and chart. Skipped, with a message, where Chromium is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Chromium to use: `STAFFCAST_CHROMIUM`, else Debian's; `Err` names where it looked.
fn chromium() -> Result<PathBuf, PathBuf> {
    let path = std::env::var_os("STAFFCAST_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.exists() { Ok(path) } else { Err(path) }
}

fn headless(chromium: &Path, profile: &Path, args: &[&str], page: &Path) -> std::process::Output {
    Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            // No network: the page must need nothing from outside.
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium starts")
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let chromium = match chromium() {
        Ok(path) => path,
        Err(looked) => {
            eprintln!(
                "skipped: no Chromium at {} (install Debian's `chromium` package, or set \
                 STAFFCAST_CHROMIUM) to check report.html in a browser",
                looked.display()
            );
            return;
        }
    };
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_staffcast"))
        .args(["run", "--replications", "20", "--quiet", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let folder = out.path().join("slough-children-2014");
    let page = folder.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script"), "the report needs no JavaScript");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "the report fetches nothing"
    );

    let profile = tempfile::tempdir().unwrap();
    let dom = headless(&chromium, profile.path(), &["--dump-dom"], &page);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for name in [
        "base",
        "fast_dbs",
        "four_new_teams",
        "stronger_offer",
        "dfe_agency_rules",
        "permanent_80_by_2017",
        "caseload_16_by_march_2015",
        "Net cost per financial year",
    ] {
        assert!(dom.contains(name), "the rendered page lacks {name}");
    }
    let charts = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("svg".as_ref()))
        .count();
    assert_eq!(
        dom.matches("<figure").count(),
        charts,
        "one figure per chart"
    );
    assert_eq!(dom.matches("<svg").count(), charts, "every chart inline");

    let shot = out.path().join("report.png");
    let screenshot = headless(
        &chromium,
        profile.path(),
        &[
            "--window-size=1200,2400",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    assert!(screenshot.status.success());
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1200, 2400));
}
