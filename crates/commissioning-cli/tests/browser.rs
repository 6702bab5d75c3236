//! The meeting pack and every chart, rendered by a real browser: Debian's Chromium, headless,
//! to PNG. A page or chart that renders blank, or stops short of its end, fails.
//!
//! The test needs Chromium (`chromium` on the path, or the path in `COMMISSIONING_CHROMIUM`).
//! `.ci/run` installs it and sets `COMMISSIONING_REQUIRE_BROWSER`; on a machine without it the
//! test says so and passes only when neither that nor `CI` is set. With `COMMISSIONING_WRITE_IMAGES=1` the screenshots of the demo's page and of
//! the charts are also written to `docs/images/`, as shown in the README and the docs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The browser, if the machine has one.
fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("COMMISSIONING_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// A scratch folder for this run.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("commissioning-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the command, which must succeed.
fn commissioning(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_commissioning"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Renders `file` in a `width` × `height` window to `png`, within two minutes.
fn screenshot(browser: &Path, file: &Path, width: u32, height: u32, png: &Path) {
    let profile = png.with_extension("profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "the browser took more than two minutes over {}",
                file.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_dir_all(profile);
    assert!(png.is_file(), "no screenshot of {}", file.display());
}

/// A decoded screenshot: width, height and RGB pixels by row.
struct Image {
    width: usize,
    height: usize,
    rgb: Vec<[u8; 3]>,
}

fn decode(png: &Path) -> Image {
    let decoder = png::Decoder::new(std::fs::File::open(png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", png.display());
    // Grey (with or without alpha) repeats its one sample; colour takes the first three.
    let rgb = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| match p {
            [r, g, b, ..] => [*r, *g, *b],
            [v, ..] => [*v, *v, *v],
            [] => [0, 0, 0],
        })
        .collect();
    Image {
        width: info.width as usize,
        height: info.height as usize,
        rgb,
    }
}

impl Image {
    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.rgb[y * self.width + x]
    }

    /// The share of pixels in rows `rows` and columns `cols` that differ from `background`.
    fn ink(
        &self,
        rows: std::ops::Range<usize>,
        cols: std::ops::Range<usize>,
        background: [u8; 3],
    ) -> f64 {
        self.ink_on(rows, cols, &[background])
    }

    /// The share of pixels in rows `rows` and columns `cols` that differ from every one of
    /// `backgrounds`.
    fn ink_on(
        &self,
        rows: std::ops::Range<usize>,
        cols: std::ops::Range<usize>,
        backgrounds: &[[u8; 3]],
    ) -> f64 {
        let mut n = 0usize;
        let mut inked = 0usize;
        for y in rows {
            for x in cols.clone() {
                n += 1;
                let p = self.at(x, y);
                if backgrounds
                    .iter()
                    .all(|b| p.iter().zip(b).any(|(a, b)| a.abs_diff(*b) > 24))
                {
                    inked += 1;
                }
            }
        }
        inked as f64 / n.max(1) as f64
    }

    /// Rows in which nearly every pixel is `colour` (the page's blue bands).
    fn bands(&self, colour: [u8; 3]) -> Vec<usize> {
        (0..self.height)
            .filter(|&y| {
                let same = (0..self.width)
                    .filter(|&x| {
                        self.at(x, y)
                            .iter()
                            .zip(colour)
                            .all(|(a, b)| a.abs_diff(b) <= 8)
                    })
                    .count();
                same * 10 >= self.width * 9
            })
            .collect()
    }
}

/// A page is not blank when a good share of it is drawn, and not truncated when its footer
/// (a blue band, after the blue header band) is on it.
fn check_page(png: &Path, what: &str) {
    let img = decode(png);
    let blue = img.bands([0, 94, 184]);
    let first = *blue
        .first()
        .unwrap_or_else(|| panic!("{what}: blank, no header drawn"));
    let last = *blue.last().unwrap();
    assert!(first < 10, "{what}: the header is not at the top");
    assert!(
        last > first + 1000,
        "{what}: the footer is missing, so the page stops short (last blue row {last})"
    );
    // Between the header and the footer: text, tables and charts, not empty boxes.
    let white = [255, 255, 255];
    let page = [240, 244, 245];
    let rows = first + 100..last;
    let inked = img.ink_on(rows, 0..img.width, &[white, page]);
    assert!(inked > 0.01, "{what}: blank ({:.2}% drawn)", inked * 100.0);
}

/// A chart is not blank, and reaches its bottom (the axis title) and its right-hand side.
fn check_chart(png: &Path, what: &str) {
    let img = decode(png);
    let white = [255, 255, 255];
    let (w, h) = (img.width, img.height);
    let inked = img.ink(0..h, 0..w, white);
    assert!(inked > 0.02, "{what}: blank ({:.2}% drawn)", inked * 100.0);
    assert!(
        img.ink(h * 85 / 100..h, 0..w, white) > 0.002,
        "{what}: nothing drawn at the bottom, so the chart stops short"
    );
    assert!(
        img.ink(0..h, w * 85 / 100..w, white) > 0.002,
        "{what}: nothing drawn at the right"
    );
}

#[test]
fn the_meeting_pack_and_every_chart_render_in_a_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("COMMISSIONING_REQUIRE_BROWSER").is_none(),
            "CI must install Chromium (apt-get install chromium) for the browser test"
        );
        eprintln!("no Chromium on this machine: the browser test did not run");
        return;
    };
    let dir = scratch();
    let write_images = std::env::var_os("COMMISSIONING_WRITE_IMAGES").is_some();
    let images = root().join("docs/images");

    // The pages.
    let pack = dir.join("pack.html");
    commissioning(&[
        "report",
        "docs/examples/report/meeting-pack.json",
        "--html",
        pack.to_str().unwrap(),
    ]);
    let demo = dir.join("demo.html");
    commissioning(&["demo", "--html", demo.to_str().unwrap()]);
    for (page, name) in [(&pack, "meeting-pack"), (&demo, "demo-report")] {
        let png = dir.join(format!("{name}.png"));
        screenshot(&browser, page, 1200, 16_000, &png);
        check_page(&png, name);
    }

    // The charts.
    let charts: [(&str, &str, &[&str], u32, u32); 8] = [
        ("spc", "spc-stroke.json", &[], 800, 420),
        ("spc", "spc-facets.json", &[], 1120, 720),
        (
            "frontier",
            "frontier.json",
            &["--title", "Stroke follow-up: the cost-effectiveness plane"],
            760,
            480,
        ),
        ("dsa", "dsa.json", &[], 760, 252),
        ("concentration", "concentration.json", &[], 760, 480),
        (
            "funnel",
            "funnel.json",
            &["--polarity", "lower-is-better"],
            720,
            480,
        ),
        ("psa", "psa-ceac.json", &[], 720, 440),
        ("psa", "psa-evpi.json", &[], 720, 440),
    ];
    for (command, example, extra, width, height) in charts {
        let stem = example.trim_end_matches(".json");
        let svg = dir.join(format!("{stem}.svg"));
        let mut args = vec![command, &format!("docs/examples/{example}")]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        args.extend(["--svg".to_owned(), svg.to_str().unwrap().to_owned()]);
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        commissioning(&refs);
        let png = dir.join(format!("{stem}.png"));
        screenshot(&browser, &svg, width, height, &png);
        check_chart(&png, stem);
        if write_images {
            std::fs::copy(&png, images.join(format!("{stem}.png"))).unwrap();
        }
    }
    if write_images {
        // The top of the demo's page, as a reader first sees it.
        let png = dir.join("demo-top.png");
        screenshot(&browser, &demo, 1200, 1600, &png);
        std::fs::copy(&png, images.join("demo-report.png")).unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
}
